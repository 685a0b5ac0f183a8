package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a job's pods run: as the image's user (root), or under the Pod Security Standard "restricted". */
public enum SecurityProfile {
  @JsonProperty("root")
  ROOT,
  @JsonProperty("restricted")
  RESTRICTED
}
