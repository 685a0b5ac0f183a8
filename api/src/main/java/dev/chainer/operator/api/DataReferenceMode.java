package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a data reference reaches the training pods: mounted in place, or copied in before the script starts. */
public enum DataReferenceMode {
  @JsonProperty("mount")
  MOUNT,
  @JsonProperty("download")
  DOWNLOAD
}
