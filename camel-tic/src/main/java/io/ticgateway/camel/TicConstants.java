package io.ticgateway.camel;

import org.apache.camel.spi.Metadata;

/** Headers set on every exchange of the {@code tic:} component. The meter's data is in the body. */
public final class TicConstants {

    @Metadata(description = "Meter identity (ADSC, ADCO or ADS, or the meterId option).", javaType = "String")
    public static final String METER_ID = "CamelTicMeterId";
    @Metadata(description = "Meter name given by the name option (defaults to the meter id).", javaType = "String")
    public static final String METER_NAME = "CamelTicMeterName";
    @Metadata(description = "Meter family: standard, historic or pmepmi.", javaType = "String")
    public static final String MODE = "CamelTicMode";
    @Metadata(description = "The frame's own time (ISO-8601 with offset) when the meter sends one.", javaType = "String")
    public static final String FRAME_TIME = "CamelTicFrameTime";
    @Metadata(description = "When the frame was received, epoch milliseconds.", javaType = "long")
    public static final String RECEIVED_AT = "CamelTicReceivedAt";
    @Metadata(description = "Position of the frame among those this endpoint delivered, from 1.", javaType = "long")
    public static final String SEQUENCE = "CamelTicSequence";
    @Metadata(description = "The source: transport and address, e.g. serial:/dev/ttyUSB0.", javaType = "String")
    public static final String SOURCE = "CamelTicSource";

    private TicConstants() {
    }
}
