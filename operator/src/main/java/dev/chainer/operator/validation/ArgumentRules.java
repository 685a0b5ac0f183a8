package dev.chainer.operator.validation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.render.ScriptArguments;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Rules for what becomes the script's argv: scriptParams and arguments. Each token must reach the script as written
 * (no control characters; numbers a double can hold, as the estimator's Python printed them), a data reference must
 * name one the job declares, and resumeFrom's own {@code --resume-from} must not be given twice.
 */
final class ArgumentRules {
  private static final String RESUME_FROM = "--resume-from";

  private ArgumentRules() {}

  static void check(ChainerJobSpec spec, List<Problem> out) {
    Set<String> declared = DataReferenceRules.declaredNames(spec);
    if (spec.getScriptParams() != null) {
      for (Map.Entry<String, JsonNode> e : spec.getScriptParams().entrySet()) {
        checkParam(e.getKey(), e.getValue(), spec, declared, out);
      }
    }
    List<String> arguments = spec.getArguments() == null ? List.of() : spec.getArguments();
    for (int i = 0; i < arguments.size(); i++) {
      checkToken(arguments.get(i), "spec.arguments[" + i + "]", spec, declared, out);
    }
  }

  private static void checkParam(String key, JsonNode value, ChainerJobSpec spec, Set<String> declared,
      List<Problem> out) {
    String field = "spec.scriptParams[" + key + "]";
    if (key.isEmpty()) {
      out.add(Problem.error("spec.scriptParams", "a key (flag) must not be empty"));
    }
    if (value != null && (value.isObject() || (value.isArray() && hasContainerItem(value)))) {
      out.add(Problem.error(field, "must be a string, number, boolean, null or a list of those"));
      return;
    }
    checkToken(key, field, spec, null, out); // a flag is passed as written, never resolved
    if (value == null) {
      return;
    }
    for (JsonNode item : value.isArray() ? value : List.of(value)) {
      if (item.isNumber() && !item.isIntegralNumber() && !Double.isFinite(item.doubleValue())) {
        out.add(Problem.error(field, (Double.isNaN(item.doubleValue()) ? "is not a number (.nan)"
            : "is infinite or beyond a 64-bit float (such as 1e400 or .inf)") + ": no 64-bit float holds it, so "
            + "the estimator's Python could not have passed it; quote it if the script expects that text"));
      } else if (item.isTextual()) {
        checkToken(item.textValue(), field, spec, declared, out);
      }
    }
  }

  /**
   * One argv token: printable, a declared data reference if it names one (declared: null for a token never resolved),
   * not resumeFrom's flag again.
   */
  private static void checkToken(String token, String field, ChainerJobSpec spec, Set<String> declared,
      List<Problem> out) {
    if (Rules.refuseControlCharacters(token, field, "a command-line argument", out)) {
      return;
    }
    if (declared != null && token.startsWith(ScriptArguments.DATA_REFERENCE_PREFIX)) {
      checkReference(token, field, declared, out);
    }
    if (spec.getResumeFrom() != null && isResumeFrom(token)) {
      out.add(Problem.error(field, "'" + token + "' repeats the flag the operator adds for spec.resumeFrom "
          + "(--resume-from <its path>): remove one of them"));
    }
  }

  private static void checkReference(String token, String field, Set<String> declared, List<Problem> out) {
    String name = token.substring(ScriptArguments.DATA_REFERENCE_PREFIX.length());
    if (!declared.contains(name)) {
      out.add(Problem.error(field, "'" + token + "' names no data reference of the job, and would reach the "
          + "script literally; declared: " + (declared.isEmpty() ? "none" : String.join(", ", declared))));
    }
  }

  /** --resume-from in the spellings argparse or a hand-written parser takes: '_' for '-', any case, '=value'. */
  static boolean isResumeFrom(String token) {
    String flag = token.contains("=") ? token.substring(0, token.indexOf('=')) : token;
    return flag.replace('_', '-').toLowerCase(Locale.ROOT).equals(RESUME_FROM);
  }

  private static boolean hasContainerItem(JsonNode array) {
    for (JsonNode item : array) {
      if (item.isContainerNode()) {
        return true;
      }
    }
    return false;
  }
}
