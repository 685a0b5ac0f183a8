package dev.chainer.operator.localcluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.chainer.operator.localcluster.admission.Refusal;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.Buffer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * {@code metadata.generateName} as the API server resolves it (apiserver's names.SimpleNameGenerator): the prefix as
 * given (no '-' added), cut to 58 characters, then 5 random characters from an alphabet without vowels (so no word
 * forms) and without look-alikes. A generated name that clashes with a stored object is drawn again, as the API
 * server retries since RetryGenerateName (Kubernetes 1.30, GA in 1.32); when every draw clashes the create is
 * answered 409 AlreadyExists, as before that change. Fabric8's mock would name the object prefix + '-' + a UUID.
 */
final class GeneratedNames {
  static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  static final int RANDOM_LENGTH = 5;
  static final int MAX_PREFIX = 63 - RANDOM_LENGTH;
  static final int DRAWS = 8;
  private static final Pattern SUBDOMAIN =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");

  private final Random random;

  GeneratedNames(Random random) {
    this.random = random;
  }

  /** One name for a prefix. */
  String generate(String prefix) {
    StringBuilder name = new StringBuilder(prefix.length() > MAX_PREFIX ? prefix.substring(0, MAX_PREFIX) : prefix);
    for (int i = 0; i < RANDOM_LENGTH; i++) {
      name.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return name.toString();
  }

  /** A name for the prefix that is not taken, or the last one drawn when all were. */
  String free(String prefix, Predicate<String> taken) {
    String name = generate(prefix);
    for (int draw = 1; draw < DRAWS && taken.test(name); draw++) {
      name = generate(prefix);
    }
    return name;
  }

  /**
   * Whether a generateName is a valid start of a name (apimachinery's NameIsDNSSubdomain with prefix: a trailing
   * '-' is allowed, the rest must be a lowercase RFC 1123 subdomain), as the API server checks it before it
   * generates anything.
   */
  static boolean isNamePrefix(String prefix) {
    String masked = prefix.endsWith("-") ? prefix.substring(0, prefix.length() - 1) + "a" : prefix;
    return masked.length() <= 253 && SUBDOMAIN.matcher(masked).matches();
  }

  /**
   * A create request whose object has a generateName and no name, with the name chosen; any other request (or a
   * body that is not a JSON object) unchanged, for admission to answer as it would.
   *
   * @throws Refusal 422 naming metadata.generateName when the prefix could start no valid name
   */
  RecordedRequest named(RecordedRequest request, Predicate<String> taken) throws Refusal {
    JsonNode object;
    try {
      // the body's bytes, not getUtf8Body(), which drains the buffer the original handler reads next
      object = request.getBody() == null ? null : Serialization.jsonMapper().readTree(request.getBody().getBytes());
    } catch (IOException | RuntimeException notJson) {
      return request;
    }
    JsonNode metadata = object == null ? null : object.path("metadata");
    if (!(metadata instanceof ObjectNode meta) || !meta.path("name").asText("").isEmpty()
        || meta.path("generateName").asText("").isEmpty()) {
      return request;
    }
    String prefix = meta.path("generateName").asText();
    if (!isNamePrefix(prefix)) {
      String apiVersion = object.path("apiVersion").asText("");
      throw new Refusal(object.path("kind").asText(), apiVersion.contains("/") ? apiVersion.substring(0,
          apiVersion.indexOf('/')) : "", prefix, List.of(Refusal.cause("metadata.generateName", "Invalid value: \""
          + prefix + "\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or "
          + "'.', and must start and end with an alphanumeric character")));
    }
    meta.put("name", free(prefix, taken));
    byte[] body = Serialization.asJson(object).getBytes(StandardCharsets.UTF_8);
    return new RecordedRequest(request.getHttpVersion(), request.method(), request.getPath(), request.getHeaders(),
        new Buffer(body));
  }
}
