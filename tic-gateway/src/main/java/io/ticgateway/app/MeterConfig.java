package io.ticgateway.app;

import io.ticgateway.protocol.TicMode;

/**
 * One meter declared in the configuration.
 *
 * @param name   its stable name in every sink ({@code tic.meters})
 * @param source its {@code tic:} URI ({@code tic.meter.<name>.source})
 * @param family the family whose route file it goes through ({@code tic.meter.<name>.family})
 */
public record MeterConfig(String name, String source, TicMode family) {
}
