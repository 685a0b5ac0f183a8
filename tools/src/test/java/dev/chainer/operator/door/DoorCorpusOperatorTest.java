package dev.chainer.operator.door;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.testing.DoorCorpus;
import dev.chainer.operator.testing.OperatorHarness;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The door's proof on the strict in-process API server (schema and CEL as a real one applies them) with the operator
 * running: the whole hostile corpus is applied at once, as kubectl apply would send it. Each must-refuse job is
 * either refused at create (422 naming the field) or, once stored, failed by the operator with InvalidSpec, a
 * message naming the field and the rule, a Warning Event, and no pod; each valid job is stored and started. Files
 * marked {@code # doors: render} (YAML text, bombs, an operator configuration) are render's alone.
 */
class DoorCorpusOperatorTest {
  private static final String NS = "door";
  private OperatorHarness h;

  @AfterEach
  void stop() {
    h.close();
  }

  /** What the server answered for one file: the ChainerJobs stored, or the refusal. */
  private record Applied(DoorCorpus c, List<ChainerJob> jobs, KubernetesClientException refusal) {}

  @Test
  void everyDoorRefusesTheHostileAndAcceptsTheValid() throws IOException {
    h = new OperatorHarness();
    List<Applied> applied = DoorCorpus.all().stream().filter(c -> c.through("operator")).map(this::apply).toList();
    List<String> wrong = new ArrayList<>();
    Map<String, Integer> counts = new LinkedHashMap<>();
    for (Applied a : applied) {
      String verdict = a.c().valid() ? valid(a) : refused(a);
      counts.merge(verdict.startsWith("ok") ? verdict : "wrong", 1, Integer::sum);
      if (!verdict.startsWith("ok")) {
        wrong.add(a.c() + ": " + verdict);
      }
    }
    assertEquals(List.of(), wrong, () -> String.join("\n", wrong) + "\n" + counts);
    assertTrue(counts.getOrDefault("ok: refused at create", 0) > 0, counts::toString);
    assertTrue(counts.getOrDefault("ok: failed by the operator", 0) > 0, counts::toString);
  }

  /** Creates every object of the file (a ChainerJob, a ConfigMap next to it, the items of a v1 List). */
  private Applied apply(DoorCorpus c) {
    List<ChainerJob> jobs = new ArrayList<>();
    try {
      String text = Files.readString(c.file(), StandardCharsets.UTF_8);
      for (String document : text.split("(?m)^---$")) {
        GenericKubernetesResource object = Serialization.unmarshal(document, GenericKubernetesResource.class);
        List<GenericKubernetesResource> items = "List".equals(object.getKind())
            ? Serialization.jsonMapper().convertValue(object.getAdditionalProperties().get("items"),
                new com.fasterxml.jackson.core.type.TypeReference<List<GenericKubernetesResource>>() {})
            : List.of(object);
        for (GenericKubernetesResource item : items) {
          if (item.getMetadata().getNamespace() == null) {
            item.getMetadata().setNamespace(NS);
          }
          GenericKubernetesResource created = h.client.resource(item).create();
          if ("ChainerJob".equals(created.getKind())) {
            jobs.add(Serialization.jsonMapper().convertValue(created, ChainerJob.class));
          }
        }
      }
      return new Applied(c, jobs, null);
    } catch (KubernetesClientException refused) {
      return new Applied(c, jobs, refused);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private String valid(Applied a) {
    if (a.refusal() != null) {
      return "refused at create: " + a.refusal().getMessage();
    }
    for (ChainerJob job : a.jobs()) {
      ChainerJobStatus status = OperatorHarness.await(() -> h.status(job), s -> s.getPhase() != null,
          "a phase of " + job.getMetadata().getName());
      if (status.getPhase() == JobPhase.Failed) {
        return "failed: " + status.getReason() + ": " + status.getMessage();
      }
    }
    return "ok: accepted";
  }

  /**
   * A 422 whose causes name the field or the object holding it: a CEL rule sits on an object and the API server
   * names that object (a rule's fieldPath, which would name the field itself, needs Kubernetes 1.28); a rule on the
   * root names the field in its message.
   */
  private static String refusedAtCreate(DoorCorpus c, KubernetesClientException refusal) {
    var status = refusal.getStatus();
    boolean named = refusal.getCode() == 422 && status != null && status.getDetails() != null
        && status.getDetails().getCauses().stream().map(cause -> cause.getField())
            .anyMatch(f -> f != null && (c.field().equals(f) || c.field().startsWith(f + ".")
                || c.field().startsWith(f + "[") || f.startsWith(c.field())));
    String message = refusal.getMessage();
    named |= refusal.getCode() == 422 && c.names(message);
    return named ? "ok: refused at create" : "refused at create without naming " + c.field() + ": "
        + message.substring(0, Math.min(400, message.length()));
  }

  private String refused(Applied a) {
    DoorCorpus c = a.c();
    if (a.refusal() != null) {
      return refusedAtCreate(c, a.refusal());
    }
    if (a.jobs().isEmpty()) {
      return "nothing stored and nothing refused";
    }
    ChainerJob job = a.jobs().get(0);
    ChainerJobStatus status;
    try {
      status = OperatorHarness.await(() -> h.status(job), s -> s.getPhase() != null
          && s.getPhase() != JobPhase.Queued, "a phase of " + job.getMetadata().getName());
    } catch (AssertionError timedOut) {
      return "accepted: no phase after " + OperatorHarness.TIMEOUT;
    }
    if (status.getPhase() != JobPhase.Failed || !"InvalidSpec".equals(status.getReason())) {
      return "accepted: " + status.getPhase() + " " + status.getReason() + " " + status.getMessage();
    }
    if (!c.explainedBy(status.getMessage())) {
      return "failed without naming " + c.field() + " saying '" + c.rule() + "': " + status.getMessage();
    }
    List<Event> warnings = h.events(job).stream().filter(e -> "Warning".equals(e.getType())
        && "InvalidSpec".equals(e.getReason()) && e.getMessage().contains(c.field())).toList();
    if (warnings.isEmpty()) {
      return "no Warning Event naming " + c.field();
    }
    if (!h.client.pods().inNamespace(job.getMetadata().getNamespace())
        .withLabel("chainer.dev/job-name", job.getMetadata().getName()).list().getItems().isEmpty()) {
      return "pods were created";
    }
    return "ok: failed by the operator";
  }
}
