package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;

/** The container part of an environment definition. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DockerSection {
  @JsonPropertyDescription("Image for launcher and workers; default: the operator's image for the framework "
      + "version and GPU setting.")
  private String image;

  @JsonPropertyDescription("Pull credentials for the image.")
  private ImageRegistryDetails imageRegistryDetails;

  @JsonPropertyDescription("Request GPUs (one per process on each worker) and use the GPU image; default false.")
  private Boolean gpuSupport;

  @Size(max = 32)
  @Pattern(ShmSize.PATTERN)
  @JsonPropertyDescription("Size of the memory-backed /dev/shm, as spec.shmSize: 2g, 512m or 2Gi; default 2g.")
  private String shmSize;

  public String getImage() { return image; }
  public void setImage(String v) { this.image = v; }
  public ImageRegistryDetails getImageRegistryDetails() { return imageRegistryDetails; }
  public void setImageRegistryDetails(ImageRegistryDetails v) { this.imageRegistryDetails = v; }
  public Boolean getGpuSupport() { return gpuSupport; }
  public void setGpuSupport(Boolean v) { this.gpuSupport = v; }
  public String getShmSize() { return shmSize; }
  public void setShmSize(String v) { this.shmSize = v; }
}
