package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.EnvironmentDefinition;
import dev.chainer.operator.render.OperatorEnvironment;
import dev.chainer.operator.spec.JobContext;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules for the job's environment variables: a name a process can read, a value that is text without control
 * characters (a null one is refused: the API server keeps it, since the schema allows it only to be refused here,
 * not silently dropped), and none of the variables the operator sets itself ({@link OperatorEnvironment}).
 */
final class EnvironmentRules {
  private EnvironmentRules() {}

  static void check(JobContext context, List<Problem> out) {
    ChainerJobSpec spec = context.spec();
    String field = field(spec);
    Set<String> references = DataReferenceRules.declaredNames(spec);
    for (Map.Entry<String, String> e : environment(spec).entrySet()) {
      String name = e.getKey();
      String at = field + "[" + name + "]";
      if (!Rules.isEnvName(name)) {
        out.add(Problem.error(at, "is not a valid environment variable name (letters, digits and '_', not "
            + "starting with a digit)"));
        continue;
      }
      if (e.getValue() == null) {
        out.add(Problem.error(at, "is null: give the variable a value (\"\" for an empty one) or remove it"));
      } else {
        Rules.refuseControlCharacters(e.getValue(), at, "an environment variable", out);
      }
      OperatorEnvironment.refusal(name, context.effective(), references)
          .ifPresent(why -> out.add(Problem.error(at, why)));
    }
  }

  /** The user's environment variables: environmentDefinition's when it is set (it then holds them all). */
  static Map<String, String> environment(ChainerJobSpec spec) {
    Map<String, String> vars = new LinkedHashMap<>();
    if (spec.getEnvironmentVariables() != null) {
      vars.putAll(spec.getEnvironmentVariables());
    }
    EnvironmentDefinition def = spec.getEnvironmentDefinition();
    if (def != null && def.getEnvironmentVariables() != null) {
      vars.putAll(def.getEnvironmentVariables());
    }
    return vars;
  }

  static String field(ChainerJobSpec spec) {
    EnvironmentDefinition def = spec.getEnvironmentDefinition();
    return def != null && def.getEnvironmentVariables() != null ? "spec.environmentDefinition.environmentVariables"
        : "spec.environmentVariables";
  }
}
