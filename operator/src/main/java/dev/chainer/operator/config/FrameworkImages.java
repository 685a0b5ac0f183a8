package dev.chainer.operator.config;

import java.util.List;

/**
 * Default images and packages for one supported Chainer version. An image named without a registry or path
 * ({@code chainermn:7.0.0-cpu}, as the built-in defaults are) is pulled from the training image registry
 * ({@link OperatorConfig#getTrainingImageRegistry()}), where {@code scripts/build-images.sh} pushes the images built
 * from {@code images/chainermn/<tag>}; a full reference ({@code registry.corp/chainer:7-cpu}) is used as written.
 */
public class FrameworkImages {
  /** The registry of the built-in defaults: {@code chainer-operator/chainermn:<tag>}, as a local build names them. */
  public static final String DEFAULT_REGISTRY = "chainer-operator";

  private String cpuImage;
  private String gpuImage;
  /** pip requirements installed in every job of this version (unless userManaged), e.g. chainer==7.0.0. */
  private List<String> packages = List.of();
  /** Extra pip requirements when useGpu, e.g. cupy-cuda110==7.8.0. */
  private List<String> gpuPackages = List.of();
  /** Not a configuration key of its own: the operator configuration's trainingImageRegistry, handed down. */
  private String registry = DEFAULT_REGISTRY;

  public FrameworkImages() {}

  public FrameworkImages(String cpuImage, String gpuImage, List<String> packages, List<String> gpuPackages) {
    this.cpuImage = cpuImage;
    this.gpuImage = gpuImage;
    this.packages = packages;
    this.gpuPackages = gpuPackages;
  }

  public String getCpuImage() { return cpuImage; }
  public void setCpuImage(String v) { this.cpuImage = v; }
  public String getGpuImage() { return gpuImage; }
  public void setGpuImage(String v) { this.gpuImage = v; }
  public List<String> getPackages() { return packages; }
  public void setPackages(List<String> v) { this.packages = v; }
  public List<String> getGpuPackages() { return gpuPackages; }
  public void setGpuPackages(List<String> v) { this.gpuPackages = v; }

  /** Where images named without a registry come from (no bean property: not read from the YAML per version). */
  void pullFrom(String trainingImageRegistry) {
    this.registry = trainingImageRegistry;
  }

  /** The image a job of this version runs, with the training image registry in front of a bare name. */
  public String image(boolean gpu) {
    return qualified(gpu ? gpuImage : cpuImage, registry);
  }

  /**
   * A name with a '/' already says where it lives (a registry host, or a Docker Hub user); only a bare
   * {@code name:tag} gets the registry. An empty registry leaves it bare (Docker Hub's library).
   */
  static String qualified(String image, String registry) {
    if (image == null || image.contains("/") || registry == null || registry.isEmpty()) {
      return image;
    }
    return (registry.endsWith("/") ? registry : registry + "/") + image;
  }
}
