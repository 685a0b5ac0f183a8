package dev.chainer.operator.render;

import dev.chainer.operator.spec.EffectiveOutputs;
import io.fabric8.kubernetes.api.model.EnvVar;
import java.util.List;

/**
 * The launcher's resume step ({@link LauncherScripts#RESUME}) for a job whose checkpoints resume automatically: the
 * fixed program put before the training command, and the variables that configure it. It runs in the launcher,
 * before mpirun (or the single process), so every rank gets the same snapshot.
 */
public final class ResumeStep {
  public static final String PATTERN = "CHAINER_SNAPSHOT_PATTERN";
  public static final String ARGUMENT = "CHAINER_RESUME_ARGUMENT";
  public static final String FALLBACK_ARGS = "CHAINER_RESUME_FALLBACK_ARGS";

  private ResumeStep() {}

  static boolean applies(RenderContext ctx) {
    return ctx.outputs().filter(EffectiveOutputs::resume).isPresent();
  }

  /** The argv that runs the step, to be followed by the training command; empty when the job does not resume. */
  public static List<String> command(RenderContext ctx) {
    return applies(ctx) ? List.of("/bin/sh", "-c", LauncherScripts.RESUME, "chainer-resume") : List.of();
  }

  public static List<EnvVar> environment(RenderContext ctx) {
    if (!applies(ctx)) {
      return List.of();
    }
    EffectiveOutputs outputs = ctx.outputs().get();
    // resumeFrom's "--resume-from <path>" ends the script's argv (ScriptArguments): a newer snapshot replaces it.
    int fallback = ctx.spec().getResumeFrom() == null ? 0 : 2;
    return List.of(
        new EnvVar(PATTERN, KubeletEscape.escape(outputs.snapshotPattern()), null),
        new EnvVar(ARGUMENT, KubeletEscape.escape(outputs.resumeArgument()), null),
        new EnvVar(FALLBACK_ARGS, Integer.toString(fallback), null));
  }

  /** What the step exports that Open MPI must be told to pass on to every rank. */
  public static List<String> forwarded(RenderContext ctx) {
    return applies(ctx) ? List.of(OutputsVolume.RESUME_FROM) : List.of();
  }
}
