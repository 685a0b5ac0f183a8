package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.time.Instant;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Writes Kubernetes Events about a ChainerJob (what `kubectl describe chj` shows). Never fails a reconcile. */
public final class EventRecorder {
  private static final Logger LOG = LoggerFactory.getLogger(EventRecorder.class);
  private static final int MAX_MESSAGE = 1024;
  private final KubernetesClient client;

  public EventRecorder(KubernetesClient client) {
    this.client = client;
  }

  public void record(ChainerJob job, JobEvent event, Instant now) {
    String message = event.message().length() > MAX_MESSAGE ? event.message().substring(0, MAX_MESSAGE - 3) + "..."
        : event.message();
    var e = new EventBuilder()
        .withNewMetadata()
        .withName(job.getMetadata().getName() + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()))
        .withNamespace(job.getMetadata().getNamespace())
        .endMetadata()
        .withNewInvolvedObject()
        .withApiVersion(ChainerJob.API_VERSION).withKind("ChainerJob")
        .withName(job.getMetadata().getName()).withNamespace(job.getMetadata().getNamespace())
        .withUid(job.getMetadata().getUid()).withResourceVersion(job.getMetadata().getResourceVersion())
        .endInvolvedObject()
        .withType(event.type())
        .withReason(event.reason())
        .withMessage(message)
        .withNewSource().withComponent("chainer-operator").endSource()
        .withReportingComponent("chainer-operator")
        .withFirstTimestamp(now.toString())
        .withLastTimestamp(now.toString())
        .withCount(1)
        .build();
    try {
      client.v1().events().inNamespace(job.getMetadata().getNamespace()).resource(e).create();
    } catch (RuntimeException ex) {
      LOG.warn("could not record event {} on {}/{}: {}", event.reason(), job.getMetadata().getNamespace(),
          job.getMetadata().getName(), ex.getMessage());
    }
    LOG.info("{}/{}: {} {}: {}", job.getMetadata().getNamespace(), job.getMetadata().getName(), event.type(),
        event.reason(), message);
  }
}
