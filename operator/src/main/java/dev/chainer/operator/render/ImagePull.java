package dev.chainer.operator.render;

import io.fabric8.kubernetes.api.model.PodSpec;
import java.util.stream.Stream;

/**
 * The job's imagePullPolicy (spec.kubernetes.imagePullPolicy) on every container that runs the training image:
 * the main containers and the init steps that use it (not the git image's). Unset, the field is left out, so that
 * Kubernetes' own default applies: Always for a :latest or untagged image, else IfNotPresent.
 */
final class ImagePull {
  private ImagePull() {}

  static PodSpec apply(PodSpec pod, RenderContext ctx) {
    var settings = ctx.spec().getKubernetes();
    if (settings == null || settings.getImagePullPolicy() == null) {
      return pod;
    }
    String image = ctx.effective().image();
    Stream.concat(pod.getInitContainers().stream(), pod.getContainers().stream())
        .filter(c -> image.equals(c.getImage()))
        .forEach(c -> c.setImagePullPolicy(settings.getImagePullPolicy().name()));
    return pod;
  }
}
