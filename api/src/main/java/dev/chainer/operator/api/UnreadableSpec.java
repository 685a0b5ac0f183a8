package dev.chainer.operator.api;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A spec the API server stored but the Java model cannot hold (a number beyond its type, a wrong type on a server
 * without the CRD's schema): kept as raw JSON with the reason, so that the job fails with a message naming the
 * field instead of the informer failing, which would stop the whole operator.
 */
public record UnreadableSpec(JsonNode raw, String field, String reason) {}
