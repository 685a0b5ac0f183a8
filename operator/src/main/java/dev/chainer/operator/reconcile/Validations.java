package dev.chainer.operator.reconcile;

import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.spec.JobContext;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The validator's verdict on each job, kept while what it reads stays the same. A job is reconciled a score of times
 * (each pod event, each resync), and validating it renders every object it would create: that was 45 % of the
 * operator's CPU at 1,000 jobs. The verdict depends only on the job's metadata (name, generateName, labels,
 * annotations), the spec the planner runs (the job's generation, and the run's snapshot once it started) and the
 * operator's configuration, fixed for the reconciler's life; so a verdict is reused while those are equal. The least
 * recently used go first beyond {@link #CAPACITY}; a job without a generation (never stored) is never cached.
 */
final class Validations {
  static final int CAPACITY = 20_000;

  /**
   * What the verdict depends on, as a SHA-256 of it: the job's labels and annotations (kubectl's last-applied
   * configuration among them) and the run snapshot are kilobytes each, which a deleted job's entry would keep alive.
   */
  private record Key(String hex) {
    static Optional<Key> of(ChainerJob job, Optional<String> snapshot) {
      ObjectMeta m = job.getMetadata();
      if (m == null || m.getUid() == null || m.getGeneration() == null) {
        return Optional.empty();
      }
      MessageDigest digest = newDigest();
      for (Object part : List.of(m.getGeneration(), snapshot.orElse("\0"), String.valueOf(m.getName()),
          String.valueOf(m.getGenerateName()), String.valueOf(m.getNamespace()), sorted(m.getLabels()),
          sorted(m.getAnnotations()))) {
        byte[] bytes = String.valueOf(part).getBytes(StandardCharsets.UTF_8);
        digest.update(ByteBuffer.allocate(4).putInt(bytes.length).array()); // lengths: no two inputs read alike
        digest.update(bytes);
      }
      return Optional.of(new Key(HexFormat.of().formatHex(digest.digest())));
    }

    private static String sorted(Map<String, String> map) {
      return map == null ? "\0" : new TreeMap<>(map).entrySet().stream()
          .map(e -> lengthPrefixed(e.getKey()) + lengthPrefixed(String.valueOf(e.getValue())))
          .collect(Collectors.joining());
    }

    /** A string no neighbour can run into: its length, then itself. */
    private static String lengthPrefixed(String s) {
      return s.length() + ":" + s;
    }

    private static MessageDigest newDigest() {
      try {
        return MessageDigest.getInstance("SHA-256");
      } catch (NoSuchAlgorithmException e) {
        throw new IllegalStateException("every Java has SHA-256", e);
      }
    }
  }

  private record Verdict(Key key, List<Problem> problems) {}

  private final Function<JobContext, List<Problem>> validator;

  Validations() {
    this(SpecValidator::validate);
  }

  /** @param validator what gives a job's problems (the {@link SpecValidator}; a counting one in tests) */
  Validations(Function<JobContext, List<Problem>> validator) {
    this.validator = validator;
  }

  private final Map<String, Verdict> byUid = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Verdict> eldest) {
      return size() > CAPACITY;
    }
  };

  /** Every problem of the job as it runs ({@code snapshot}: the spec its run started with, if any). */
  List<Problem> of(JobContext running, Optional<String> snapshot) {
    Optional<Key> key = Key.of(running.job(), snapshot);
    String uid = running.job().getMetadata() == null ? null : running.job().getMetadata().getUid();
    if (key.isPresent()) {
      synchronized (byUid) {
        Verdict known = byUid.get(uid);
        if (known != null && known.key().equals(key.get())) {
          return known.problems();
        }
      }
    }
    List<Problem> problems = List.copyOf(validator.apply(running));
    key.ifPresent(k -> {
      synchronized (byUid) {
        byUid.put(uid, new Verdict(k, problems));
      }
    });
    return problems;
  }

  int size() {
    synchronized (byUid) {
      return byUid.size();
    }
  }
}
