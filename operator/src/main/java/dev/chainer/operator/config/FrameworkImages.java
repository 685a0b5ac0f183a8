package dev.chainer.operator.config;

import java.util.List;

/** Default images and packages for one supported Chainer version. */
public class FrameworkImages {
  private String cpuImage;
  private String gpuImage;
  /** pip requirements installed in every job of this version (unless userManaged), e.g. chainer==7.0.0. */
  private List<String> packages = List.of();
  /** Extra pip requirements when useGpu, e.g. cupy-cuda90==7.0.0. */
  private List<String> gpuPackages = List.of();

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

  public String image(boolean gpu) {
    return gpu ? gpuImage : cpuImage;
  }
}
