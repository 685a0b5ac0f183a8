package dev.chainer.operator.cli;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.validation.JobFiles;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Submits a job as Azure ML's {@code experiment.submit(estimator)} did: the local source directory goes with it, as
 * a ConfigMap the job owns (deleted with the job) and reads its code from.
 */
@Command(name = "submit", mixinStandardHelpOptions = true,
    description = "Create a ChainerJob from a YAML file; with --source-dir, first pack a local directory into a "
        + "ConfigMap the job uses as its code (honouring .amlignore, else .gitignore) and that is deleted with the "
        + "job. Prints the job's name and the commands to follow it.")
public final class SubmitCommand implements Callable<Integer> {
  /** Label on a packed source ConfigMap: the job it belongs to. */
  public static final String SOURCE_OF = "chainer.dev/source-of";

  @Option(names = {"-f", "--filename"}, required = true, description = "The ChainerJob YAML file.")
  Path file;

  @Option(names = "--source-dir", description = "Local directory with the training code (Azure ML's "
      + "source_directory): packed into a ConfigMap of at most 1 MiB; the job's sourceDirectoryDataStore then "
      + "names it.")
  Path sourceDir;

  @Mixin
  ClusterOptions cluster;

  @CommandLine.Spec
  CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    ChainerJob job;
    SourceSnapshot snapshot = null;
    try {
      job = JobFiles.read(file);
      if (sourceDir != null) {
        snapshot = pack(job);
      }
    } catch (JobFiles.InvalidJobFile | SourceSnapshot.TooLarge | IOException e) {
      err.println("error: " + e.getMessage());
      return 1;
    }
    try (KubernetesClient client = cluster.client()) {
      String namespace = namespace(job, client);
      if (namespace == null) {
        err.println("error: the namespace of " + file + " (" + job.getMetadata().getNamespace() + ") does not match "
            + "--namespace " + cluster.explicitNamespace() + "; pass the same one, or leave one out");
        return 1;
      }
      job.getMetadata().setNamespace(namespace);
      job.getMetadata().setUid(null);
      job.getMetadata().setResourceVersion(null);
      job.setStatus(null);
      return snapshot == null ? create(client, job, out, err) : createWithSource(client, job, snapshot, out, err);
    } catch (KubernetesClientException e) {
      err.println("error: " + refusal(e));
      return 1;
    }
  }

  private SourceSnapshot pack(ChainerJob job) throws IOException, SourceSnapshot.TooLarge, JobFiles.InvalidJobFile {
    if (!Files.isDirectory(sourceDir)) {
      throw new IOException("--source-dir " + sourceDir + " is not a directory");
    }
    if (job.getSpec() == null) {
      throw new JobFiles.InvalidJobFile(file + " has no spec");
    }
    if (job.getSpec().getSourceDirectoryDataStore() != null) {
      throw new JobFiles.InvalidJobFile(file + " sets spec.sourceDirectoryDataStore and --source-dir was given: "
          + "the code comes from one of them; remove one");
    }
    return SourceSnapshot.pack(sourceDir);
  }

  private int create(KubernetesClient client, ChainerJob job, PrintWriter out, PrintWriter err) {
    ChainerJob created = client.resource(job).create();
    out.println("chainerjob.chainer.dev/" + created.getMetadata().getName() + " created");
    nextSteps(created, out);
    return 0;
  }

  /**
   * The ConfigMap first, so that no pod of the job can start before its code exists (a pod whose ConfigMap is
   * missing waits in ContainerCreating, and the operator would count that as a stall); then the job; then the
   * ConfigMap gets the job as its owner, for the garbage collector to delete it with the job.
   */
  private int createWithSource(KubernetesClient client, ChainerJob job, SourceSnapshot snapshot, PrintWriter out,
      PrintWriter err) {
    String base = job.getMetadata().getName() != null ? job.getMetadata().getName() + "-"
        : job.getMetadata().getGenerateName();
    ConfigMap source = client.configMaps().inNamespace(job.getMetadata().getNamespace()).resource(
        new ConfigMapBuilder().withNewMetadata().withGenerateName(base + "source-").endMetadata()
            .withData(snapshot.data()).withBinaryData(snapshot.binaryData()).build()).create();
    String sourceName = source.getMetadata().getName();
    DataStore store = new DataStore();
    store.setConfigMap(sourceName);
    store.setItems(snapshot.items());
    job.getSpec().setSourceDirectoryDataStore(store);
    String directory = job.getSpec().getSourceDirectory();
    if (directory != null && directory.startsWith("/")) {
      // A path in the image means nothing once the code comes from the directory given: its root is the source.
      job.getSpec().setSourceDirectory(null);
    }
    ChainerJob created;
    try {
      created = client.resource(job).create();
    } catch (KubernetesClientException e) {
      client.configMaps().inNamespace(source.getMetadata().getNamespace()).withName(sourceName).delete();
      throw e;
    }
    String name = created.getMetadata().getName();
    try {
      client.configMaps().inNamespace(created.getMetadata().getNamespace()).withName(sourceName).edit(c -> {
        c.getMetadata().setOwnerReferences(List.of(new OwnerReferenceBuilder().withApiVersion(ChainerJob.API_VERSION)
            .withKind("ChainerJob").withName(name).withUid(created.getMetadata().getUid()).build()));
        c.getMetadata().setLabels(java.util.Map.of(SOURCE_OF, name));
        return c;
      });
    } catch (KubernetesClientException e) {
      err.println("warning: configmap/" + sourceName + " could not be tied to the job (" + refusal(e) + "); delete "
          + "it with the job: kubectl delete configmap " + sourceName + " -n " + created.getMetadata().getNamespace());
    }
    out.println("configmap/" + sourceName + " created (" + snapshot.fileCount() + " files, " + snapshot.bytes()
        + " bytes from " + sourceDir + (snapshot.ignoreFile() == null ? "" : ", " + snapshot.ignoreFile()
        + " applied") + ")");
    out.println("chainerjob.chainer.dev/" + name + " created");
    nextSteps(created, out);
    return 0;
  }

  private String namespace(ChainerJob job, KubernetesClient client) {
    String inFile = job.getMetadata().getNamespace();
    String given = cluster.explicitNamespace();
    if (inFile != null && given != null && !inFile.equals(given)) {
      return null;
    }
    return inFile != null ? inFile : client.getNamespace();
  }

  private void nextSteps(ChainerJob job, PrintWriter out) {
    String ns = " -n " + job.getMetadata().getNamespace();
    out.println();
    out.println("Follow it with:");
    out.println("  kubectl chainer watch " + job.getMetadata().getName() + ns + "     # progress until it ends");
    out.println("  kubectl chainer logs " + job.getMetadata().getName() + ns + " -f   # the training output");
  }

  /** What kubectl prints for a refused request: the server's message, else the client's. */
  static String refusal(KubernetesClientException e) {
    return e.getStatus() != null && e.getStatus().getMessage() != null ? e.getStatus().getMessage() : e.getMessage();
  }
}
