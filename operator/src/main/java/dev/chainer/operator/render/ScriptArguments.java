package dev.chainer.operator.render;

import com.fasterxml.jackson.databind.JsonNode;
import dev.chainer.operator.api.ChainerJobSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The script's argv after the script path, as the estimator built it: each scriptParams entry as the flag
 * and then its value as separate tokens (keys sorted, since the API server does not keep map order), then
 * the ordered {@code arguments}, then {@code --resume-from <path>} when resuming. Nothing is quoted or
 * split: these tokens are an argv array, never a shell string.
 */
public final class ScriptArguments {
  public static final String DATA_REFERENCE_PREFIX = "$AZUREML_DATAREFERENCE_";

  private ScriptArguments() {}

  /**
   * @param dataPaths path on compute of each data reference by name (MODEL_LOCATION for resumeFrom); a
   *     value written as {@code $AZUREML_DATAREFERENCE_<name>} becomes that path, as on Azure ML.
   */
  public static List<String> of(ChainerJobSpec spec, Map<String, String> dataPaths) {
    List<String> argv = new ArrayList<>();
    if (spec.getScriptParams() != null) {
      new TreeMap<>(spec.getScriptParams()).forEach((flag, value) -> {
        argv.add(flag);
        addValue(argv, value, dataPaths);
      });
    }
    if (spec.getArguments() != null) {
      spec.getArguments().forEach(a -> argv.add(resolve(a, dataPaths)));
    }
    String model = dataPaths.get(DataMounts.MODEL_LOCATION);
    if (spec.getResumeFrom() != null && model != null) {
      argv.add("--resume-from");
      argv.add(model);
    }
    return argv;
  }

  private static void addValue(List<String> argv, JsonNode value, Map<String, String> dataPaths) {
    if (value == null || value.isNull()) {
      return;
    }
    if (value.isArray()) {
      value.forEach(item -> addValue(argv, item, dataPaths));
      return;
    }
    String token = scalar(value);
    if (!token.isEmpty()) {
      argv.add(resolve(token, dataPaths));
    }
  }

  /**
   * Python's str() of the value, which is what the estimator passed: True/False for booleans, floats as Python prints
   * them ({@code 1e-05}); the validator has refused a number no double holds ({@code 1e400}).
   */
  private static String scalar(JsonNode value) {
    if (value.isBoolean()) {
      return value.booleanValue() ? "True" : "False";
    }
    if (value.isIntegralNumber()) {
      return value.bigIntegerValue().toString();
    }
    if (value.isNumber()) {
      return PythonFloat.str(value.doubleValue());
    }
    return value.asText();
  }

  private static String resolve(String token, Map<String, String> dataPaths) {
    if (token.startsWith(DATA_REFERENCE_PREFIX)) {
      String path = dataPaths.get(token.substring(DATA_REFERENCE_PREFIX.length()));
      if (path != null) {
        return path;
      }
    }
    return token;
  }
}
