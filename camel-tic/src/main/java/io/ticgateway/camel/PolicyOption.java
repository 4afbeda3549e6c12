package io.ticgateway.camel;

import io.ticgateway.protocol.ValidityPolicy;

/** What an endpoint does with damaged frames. */
public enum PolicyOption {
    /** Deliver a frame only when every group is valid. */
    strict(ValidityPolicy.STRICT),
    /** Deliver the valid groups of a damaged frame. */
    lenient(ValidityPolicy.LENIENT);

    private final ValidityPolicy policy;

    PolicyOption(ValidityPolicy policy) {
        this.policy = policy;
    }

    public ValidityPolicy policy() {
        return policy;
    }
}
