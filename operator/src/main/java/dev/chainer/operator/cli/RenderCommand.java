package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.kueue.Kueue;
import dev.chainer.operator.kueue.WorkloadRender;
import dev.chainer.operator.render.DesiredObjects;
import dev.chainer.operator.render.JobRenderer;
import dev.chainer.operator.render.SshKeyPair;
import dev.chainer.operator.validation.JobFiles;
import dev.chainer.operator.validation.MetadataRules;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Secret;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Prints the objects a ChainerJob becomes, without a cluster, for review or diffing in a GitOps pipeline. */
@Command(name = "render", mixinStandardHelpOptions = true,
    description = "Validate a file of ChainerJobs and print the Kubernetes objects the operator would create for "
        + "each (Secret data redacted; a Kueue Workload and a gang PodGroup included when the configuration "
        + "enables them). Other kinds in the file are skipped, saying so. At most 3 MiB. Exit code 1 when a job "
        + "is invalid.")
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
    JobFiles.Contents contents;
    OperatorConfig operatorConfig;
    try {
      contents = JobFiles.load(file);
      operatorConfig = config == null ? OperatorConfig.defaults() : OperatorConfig.load(config);
    } catch (JobFiles.InvalidJobFile e) {
      err.println("error: " + file + ": " + e.getMessage());
      return 1;
    } catch (IOException | RuntimeException e) {
      err.println("error: cannot read configuration " + config + ": " + e.getMessage());
      return 1;
    }
    contents.skipped().forEach(s -> err.println("note: skipped " + s + ": not a ChainerJob"));
    int code = 0;
    for (JobFiles.Job job : contents.jobs()) {
      code |= render(job, operatorConfig, out, err);
    }
    return code;
  }

  /** One job: its problems (each naming the document and field), then its objects, or why there are none. */
  private static int render(JobFiles.Job document, OperatorConfig config, PrintStream out, PrintStream err) {
    ChainerJob job = document.job();
    String where = document.where() + ": ";
    ObjectMeta meta = job.getMetadata();
    if (meta.getName() == null && meta.getGenerateName() != null) {
      List<Problem> problems = MetadataRules.generateName(meta.getGenerateName());
      if (!problems.isEmpty()) {
        problems.forEach(p -> err.println("error: " + where + p));
        return 1;
      }
      meta.setName(MetadataRules.placeholderName(meta.getGenerateName()));
      err.println("note: " + where + "metadata.generateName: the API server will name the job " + "'"
          + meta.getGenerateName() + "' and 5 random characters; shown here as " + meta.getName());
    }
    List<Problem> problems = SpecValidator.validate(job, config);
    problems.forEach(p -> err.println((p.isError() ? "error: " : "warning: ") + where + p));
    if (SpecValidator.hasErrors(problems)) {
      return 1;
    }
    if (!job.getSpec().isManagedByOperator()) {
      err.println("note: " + where + "spec.managedBy is '" + job.getSpec().getManagedBy() + "': the operator "
          + "leaves this job to that controller and creates nothing for it (nor writes its status); nothing to "
          + "show");
      return 0;
    }
    for (HasMetadata object : objects(job, config, where, err)) {
      out.print(KubectlYaml.write(redacted(object)));
    }
    return 0;
  }

  /**
   * What the operator creates, in order: the Kueue Workload first when Kueue admits the job (the pods follow its
   * admission), the gang's PodGroup when a gang scheduler is configured (part of the rendered objects), the rest.
   */
  private static List<HasMetadata> objects(ChainerJob job, OperatorConfig config, String where, PrintStream err) {
    DesiredObjects objects = JobRenderer.render(job, config, SshKeyPair.generate(job.getMetadata().getName()),
        REDACTED, 0);
    List<HasMetadata> all = new ArrayList<>();
    if (Kueue.manages(job, config)) {
      Optional<WorkloadRender.Priority> priority = WorkloadRender.Priority.of(job, objects);
      all.add(WorkloadRender.render(job, objects, Kueue.apiVersion(config), priority));
      err.println("note: " + where + "Kueue admits this job: the operator creates the Workload, then the pods once "
          + "it is admitted, with the admitted flavors' node labels and tolerations added");
      priority.filter(p -> !config.getKueueApiVersion().equals("v1beta1")).ifPresent(p -> err.println("note: "
          + where + "the Workload's priority is the value of " + (p.workloadClass() ? "WorkloadPriorityClass "
          : "PriorityClass ") + p.name() + ", read from the cluster (not shown)"));
    }
    all.addAll(objects.all());
    return all;
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
