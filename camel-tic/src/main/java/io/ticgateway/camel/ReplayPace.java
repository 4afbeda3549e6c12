package io.ticgateway.camel;

/** How fast a capture or the simulator is played. */
public enum ReplayPace {
    /** As fast as possible (batch import, tests, benchmarks). */
    asap,
    /** At the line's baud rate, as a meter would send it. */
    realtime
}
