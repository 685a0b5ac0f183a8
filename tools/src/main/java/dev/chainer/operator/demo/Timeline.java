package dev.chainer.operator.demo;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.spec.JobLabels;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/** Prints, as they happen, the objects the operator creates and deletes and each status change of a job. */
public final class Timeline {
  private final KubernetesClient client;
  private final PrintStream out;
  private final Instant start = Instant.now();
  private final Set<String> objects = new LinkedHashSet<>();
  private final Set<String> events = new HashSet<>();
  private String lastStatus;

  public Timeline(KubernetesClient client, PrintStream out) {
    this.client = client;
    this.out = out;
  }

  public void print(String message) {
    Duration d = Duration.between(start, Instant.now());
    out.printf("[%3d.%01ds] %s%n", d.toSeconds(), d.toMillisPart() / 100, message);
  }

  /** Looks once at the job and what it owns, printing what changed since the last look. */
  public ChainerJobStatus observe(String namespace, String name) {
    Set<String> now = new LinkedHashSet<>();
    owned(namespace).forEach(o -> now.add(o.getKind() + " " + o.getMetadata().getName()));
    now.stream().filter(o -> !objects.contains(o)).forEach(o -> print("created  " + o));
    objects.stream().filter(o -> !now.contains(o)).forEach(o -> print("deleted  " + o));
    objects.clear();
    objects.addAll(now);
    for (Event e : client.v1().events().inNamespace(namespace).list().getItems()) {
      if (name.equals(e.getInvolvedObject().getName()) && events.add(e.getMetadata().getName())) {
        print("event    " + e.getType() + " " + e.getReason() + ": " + e.getMessage());
      }
    }
    ChainerJob job = client.resources(ChainerJob.class).inNamespace(namespace).withName(name).get();
    ChainerJobStatus status = job == null ? null : job.getStatus();
    String line = status == null || status.getPhase() == null ? null : "phase    " + status.getPhase()
        + (status.getReady() == null ? "" : "  workers ready " + status.getReady())
        + progress(status)
        + (status.getReason() == null ? "" : "  reason " + status.getReason())
        + (status.getMessage() == null ? "" : "  (" + status.getMessage() + ")");
    if (line != null && !Objects.equals(line, lastStatus)) {
      print(line);
      lastStatus = line;
    }
    return status;
  }

  private static String progress(ChainerJobStatus status) {
    var p = status.getProgress();
    if (p == null) {
      return "";
    }
    String loss = p.getMetrics() == null ? null : p.getMetrics().get("main/loss");
    return "  epoch " + p.getEpoch() + (p.getTotalEpochs() == null ? "" : "/" + p.getTotalEpochs())
        + (p.getPercent() == null ? "" : " (" + p.getPercent() + "%)") + (loss == null ? "" : " loss " + loss);
  }

  private List<HasMetadata> owned(String namespace) {
    String label = JobLabels.MANAGED_BY;
    return Stream.<List<? extends HasMetadata>>of(
        client.services().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems(),
        client.configMaps().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems(),
        client.secrets().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems(),
        client.persistentVolumeClaims().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems(),
        client.apps().statefulSets().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems(),
        client.pods().inNamespace(namespace).withLabel(label, JobLabels.OPERATOR).list().getItems())
        .flatMap(List::stream).map(HasMetadata.class::cast).toList();
  }
}
