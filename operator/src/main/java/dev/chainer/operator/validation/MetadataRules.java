package dev.chainer.operator.validation;

import dev.chainer.operator.api.Limits;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** The job's own name and namespace, checked as the API server checks them and as the job's objects need them. */
public final class MetadataRules {
  /** The job's name starts every object name it gets, a Service (a DNS-1035 label) among them. */
  private static final Pattern JOB_NAME = Pattern.compile("[a-z]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PREFIX = Pattern.compile("[a-z][-a-z0-9]*");
  /**
   * The API server's name generator appends 5 characters of its alphabet (lower-case consonants and digits) to
   * generateName; render cannot know them and uses this stand-in, drawn from the same alphabet.
   */
  public static final String GENERATED_SUFFIX = "xxxxx";

  private MetadataRules() {}

  /** The name (or generateName, when the server is to pick the name) and namespace. */
  static void check(ObjectMeta meta, List<Problem> out) {
    String name = meta == null ? null : meta.getName();
    String prefix = meta == null ? null : meta.getGenerateName();
    if (name == null && prefix != null) {
      out.addAll(generateName(prefix));
    } else if (name == null || name.length() > Limits.MAX_JOB_NAME_LENGTH || !JOB_NAME.matcher(name).matches()) {
      out.add(Problem.error("metadata.name", "must be a DNS label (lower-case letters, digits, '-', starting with "
          + "a letter) of at most " + Limits.MAX_JOB_NAME_LENGTH + " characters: it names the job's Service, "
          + "StatefulSet and pods (got " + (name == null ? "none; give metadata.name or metadata.generateName"
          : "'" + name + "', " + name.length() + " characters") + ")"));
    }
    String namespace = meta == null ? null : meta.getNamespace();
    if (namespace != null && !ObjectRules.isDnsLabel(namespace)) {
      out.add(Problem.error("metadata.namespace", "must be a DNS label (lower-case letters, digits and '-', "
          + "starting and ending with a letter or digit, at most 63 characters), as every namespace name is "
          + "(got '" + namespace + "')"));
    }
  }

  /**
   * A generateName the job's name can come from: the server appends 5 characters (after cutting the prefix to 58),
   * so the prefix must start a valid job name and leave room for them.
   */
  public static List<Problem> generateName(String prefix) {
    List<Problem> out = new ArrayList<>();
    int max = Limits.MAX_JOB_NAME_LENGTH - GENERATED_SUFFIX.length();
    if (!PREFIX.matcher(prefix).matches() || prefix.length() > max) {
      out.add(Problem.error("metadata.generateName", "must be at most " + max + " characters of lower-case "
          + "letters, digits and '-', starting with a letter: the API server appends 5 characters to make the "
          + "job's name, which is at most " + Limits.MAX_JOB_NAME_LENGTH + " (got '" + prefix + "', "
          + prefix.length() + " characters)"));
    }
    return out;
  }

  /** The name render shows for a job whose name the server will generate. */
  public static String placeholderName(String prefix) {
    return prefix + GENERATED_SUFFIX;
  }
}
