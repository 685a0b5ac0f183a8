package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The estimator's vm_priority: regular nodes, or cheaper evictable (spot) nodes. */
public enum VmPriority {
  @JsonProperty("dedicated")
  DEDICATED,
  @JsonProperty("lowpriority")
  LOW_PRIORITY
}
