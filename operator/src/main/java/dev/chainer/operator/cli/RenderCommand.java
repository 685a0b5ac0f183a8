package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.validation.JobFiles;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the objects a ChainerJob becomes, without a cluster, for review or diffing in a GitOps pipeline. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Validate a ChainerJob file and print the Kubernetes objects the operator would create for it "
        + "(Secret data redacted). Exit code 1 when the job is invalid.")
public final class RenderCommand implements Callable<Integer> {
  static final String REDACTED = "<redacted>";

  @Option(names = {"-f", "--file"}, required = true, description = "ChainerJob YAML file ('-' for standard input).")
  Path file;

  @Option(names = "--config", description = "Operator configuration YAML (default: built-in defaults).")
  Path config;

  @Override
  public Integer call() {
    return render(System.out, System.err);
  }

  int render(PrintStream out, PrintStream err) {
    List<ChainerJob> jobs;
    OperatorConfig operatorConfig;
    try {
      jobs = JobFiles.readAll(file);
      operatorConfig = config == null ? OperatorConfig.defaults() : OperatorConfig.load(config);
    } catch (JobFiles.InvalidJobFile e) {
      err.println("error: " + file + ": " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot read configuration " + config + ": " + e.getMessage());
      return 1;
    }
    int code = 0;
    for (ChainerJob job : jobs) {
      String prefix = jobs.size() == 1 ? "" : job.getMetadata().getName() + ": ";
      List<Problem> problems = SpecValidator.validate(job, operatorConfig);
      problems.forEach(p -> err.println((p.isError() ? "error: " : "warning: ") + prefix + p));
      if (SpecValidator.hasErrors(problems)) {
        code = 1;
        continue;
      }
      DesiredObjects objects = JobRenderer.render(job, operatorConfig,
          SshKeyPair.generate(job.getMetadata().getName()), REDACTED, 0);
      for (HasMetadata object : objects.all()) {
        out.print(KubectlYaml.write(redacted(object)));
      }
    }
    return code;
  }

  private static HasMetadata redacted(HasMetadata object) {
    if (object instanceof Secret secret) {
      if (secret.getStringData() != null) {
        secret.setStringData(new TreeMap<>(secret.getStringData()));
        secret.getStringData().replaceAll((k, v) -> REDACTED);
      }
      if (secret.getData() != null) {
        secret.setData(new TreeMap<>(secret.getData()));
        secret.getData().replaceAll((k, v) -> REDACTED);
      }
    }
    return object;
  }
}
