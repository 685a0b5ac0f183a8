package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataReference;
import dev.chainer.operator.render.Paths;
import dev.chainer.operator.spec.EffectiveOutputs;
import java.util.ArrayList;
import java.util.List;

/**
 * The data references' mount points in a training container, compared after normalising ('.', '//', a trailing
 * '/'): the container runtime cleans a mount path before it mounts, while the API server compares mount paths as
 * written, so '/data' and '/data/' pass its duplicate check and one mount then hides the other. Two mounts may
 * neither be the same directory nor one inside the other (a mount inside a read-only volume cannot be made), and none
 * may hide the code of a source directory in the image. The operator's own mount points are checked with each
 * reference (DataReferenceRules), the outputs' by OutputsRules.
 */
final class MountPaths {
  private record Mount(String field, String path, String normal) {}

  private MountPaths() {}

  static void check(ChainerJobSpec spec, List<Problem> out) {
    List<Mount> mounts = new ArrayList<>();
    List<DataReference> inputs = spec.getInputs() == null ? List.of() : spec.getInputs();
    for (int i = 0; i < inputs.size(); i++) {
      DataReference input = inputs.get(i);
      if (input != null && input.getName() != null) {
        add(mounts, "spec.inputs[" + i + "].pathOnCompute", input.getPathOnCompute(),
            Paths.join(Paths.DATA, input.getName()));
      }
    }
    if (spec.getResumeFrom() != null) {
      add(mounts, "spec.resumeFrom.pathOnCompute", spec.getResumeFrom().getPathOnCompute(), Paths.MODEL_LOCATION);
    }
    String code = spec.getSourceDirectoryDataStore() == null && spec.getSourceDirectory() != null
        && Rules.isAbsoluteCleanPath(spec.getSourceDirectory()) ? EffectiveOutputs.normalise(spec.getSourceDirectory())
        : null;
    if (code != null && DataReferenceRules.OPERATOR_PATHS.stream().anyMatch(p -> code.equals(p)
        || code.startsWith(p + "/"))) {
      out.add(Problem.error("spec.sourceDirectory", "'" + spec.getSourceDirectory() + "' is where the operator mounts "
          + "its own files (" + String.join(", ", DataReferenceRules.OPERATOR_PATHS) + "), which would hide the code: "
          + "choose another directory of the image"));
    }
    for (int i = 0; i < mounts.size(); i++) {
      Mount m = mounts.get(i);
      if (code != null && (m.normal().equals(code) || code.startsWith(m.normal() + "/"))) {
        out.add(Problem.error(m.field(), "'" + m.path() + "' would hide the code in spec.sourceDirectory ("
            + spec.getSourceDirectory() + "): choose another path (one inside it is fine)"));
      }
      for (int j = 0; j < i; j++) {
        Mount other = mounts.get(j);
        if (overlaps(m.normal(), other.normal())) {
          out.add(Problem.error(m.field(), "'" + m.path() + "' (" + m.normal() + ") "
              + (m.normal().equals(other.normal()) ? "is the same directory as" : "overlaps")
              + " " + other.field().replace(".pathOnCompute", "") + "'s '" + other.path() + "': one mount would "
              + "hide the other"));
          break;
        }
      }
    }
  }

  /** A mount at a valid path only: a bad one is refused with its own message. */
  private static void add(List<Mount> mounts, String field, String given, String fallback) {
    String path = given == null ? fallback : given;
    String normal = Rules.isAbsoluteCleanPath(path) ? EffectiveOutputs.normalise(path) : "/";
    if (!normal.equals("/")) {
      mounts.add(new Mount(field, path, normal));
    }
  }

  /** The same directory, or one inside the other. */
  static boolean overlaps(String a, String b) {
    return a.equals(b) || a.startsWith(b.endsWith("/") ? b : b + "/") || b.startsWith(a.endsWith("/") ? a : a + "/");
  }
}
