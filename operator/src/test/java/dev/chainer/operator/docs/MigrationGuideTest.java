package dev.chainer.operator.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.DataStore;
import dev.chainer.operator.config.OperatorConfig;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.validation.JobFiles;
import dev.chainer.operator.validation.Problem;
import dev.chainer.operator.validation.SpecValidator;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * docs/migrating-from-azureml.md maps every parameter of Azure ML's Chainer estimator, and every field of a
 * ChainerJob, and its example jobs are valid: it fails when the model grows a field the guide does not name, and
 * when the guide names an estimator parameter the estimator never had.
 */
class MigrationGuideTest {
  /**
   * azureml.train.dnn.Chainer(...) as the azureml-train-core reference gives its constructor, in its order (the
   * underscore ones are private switches, still part of the signature a user may have called).
   */
  static final List<String> ESTIMATOR_PARAMETERS = List.of("source_directory", "compute_target", "vm_size",
      "vm_priority", "entry_script", "script_params", "node_count", "process_count_per_node", "distributed_backend",
      "distributed_training", "use_gpu", "use_docker", "custom_docker_base_image", "custom_docker_image",
      "image_registry_details", "user_managed", "conda_packages", "pip_packages", "conda_dependencies_file_path",
      "pip_requirements_file_path", "conda_dependencies_file", "pip_requirements_file", "environment_variables",
      "environment_definition", "inputs", "source_directory_data_store", "shm_size", "resume_from",
      "max_run_duration_seconds", "framework_version", "_enable_optimized_mode", "_disable_validation",
      "_show_lint_warnings", "_show_package_warnings");

  /** What an estimator user did with a submitted run, each of which the guide's run-side table must answer. */
  static final List<String> RUN_HABITS = List.of("experiment.submit", "wait_for_completion", "get_status",
      "get_metrics", "download_files", "get_file_names", "cancel", "get_details", "tags", "get_portal_url",
      "register_model");

  private static final Pattern CODE = Pattern.compile("`([^`]+)`");
  private static final String GUIDE = "docs/migrating-from-azureml.md";

  private static String guide() throws Exception {
    return Files.readString(Repository.path(GUIDE));
  }

  /** The table rows (lines starting with '|', header and rule excluded) under this heading, up to the next one. */
  private static List<List<String>> rows(String guide, String heading) {
    int start = guide.indexOf("\n" + heading + "\n");
    assertTrue(start >= 0, GUIDE + " has no section '" + heading + "'");
    Matcher next = Pattern.compile("\n#+ ").matcher(guide);
    int end = next.find(start + heading.length() + 1) ? next.start() : -1;
    List<List<String>> rows = new ArrayList<>();
    boolean header = true;
    for (String line : guide.substring(start, end < 0 ? guide.length() : end).lines().toList()) {
      if (!line.startsWith("|")) {
        header = true;
        continue;
      }
      if (header || line.startsWith("|---")) {
        header = line.startsWith("|---") ? false : header;
        continue;
      }
      List<String> cells = new ArrayList<>();
      for (String cell : line.substring(1).split("\\|")) {
        cells.add(cell.trim());
      }
      rows.add(cells);
    }
    return rows;
  }

  private static Set<String> code(String text) {
    Set<String> out = new TreeSet<>();
    Matcher m = CODE.matcher(text);
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  @Test
  void everyEstimatorParameterHasARowAndEveryRowNamesAParameter() throws Exception {
    List<List<String>> rows = rows(guide(), "## Every estimator parameter");
    Set<String> named = new TreeSet<>();
    for (List<String> row : rows) {
      Set<String> parameters = code(row.get(0));
      assertTrue(!parameters.isEmpty(), "a row names no estimator parameter in its first cell: " + row);
      for (String p : parameters) {
        assertTrue(ESTIMATOR_PARAMETERS.contains(p), "'" + p + "' is not a parameter of azureml.train.dnn.Chainer");
      }
      named.addAll(parameters);
    }
    Set<String> missing = new TreeSet<>(ESTIMATOR_PARAMETERS);
    missing.removeAll(named);
    assertEquals(Set.of(), missing, "estimator parameters without a row in " + GUIDE);
  }

  @Test
  void everyRunSideHabitHasARow() throws Exception {
    String firstCells = String.join("\n", rows(guide(), "## Submitting, watching, results").stream()
        .map(r -> r.get(0)).toList());
    Set<String> missing = new TreeSet<>();
    for (String habit : RUN_HABITS) {
      if (!firstCells.contains(habit)) {
        missing.add(habit);
      }
    }
    assertEquals(Set.of(), missing, "run-side habits without a row in " + GUIDE);
  }

  /** Every JSON field of the model, reached from spec, needs a table row naming it at one of the paths it has. */
  @Test
  void everyFieldOfAChainerJobHasARow() throws Exception {
    Set<String> inRows = new TreeSet<>();
    for (String line : guide().lines().filter(l -> l.startsWith("|")).toList()) {
      inRows.addAll(code(line));
    }
    Map<String, List<String>> paths = new TreeMap<>();
    walk(Serialization.jsonMapper(), Serialization.jsonMapper().constructType(ChainerJobSpec.class), "spec", paths);
    assertTrue(paths.containsKey("DataStore.nfs") && paths.get("DataStore.nfs").contains("spec.inputs.dataStore.nfs"),
        "the walk reaches nested sections: " + paths.keySet());
    Map<String, List<String>> missing = new TreeMap<>();
    paths.forEach((field, where) -> {
      if (where.stream().noneMatch(inRows::contains)) {
        missing.put(field, where);
      }
    });
    assertEquals(Map.of(), missing, "fields with no table row in " + GUIDE + " naming one of their paths");
  }

  /** Type.property -> every path it has under spec, for the model's own types (not Kubernetes' ones). */
  private static void walk(ObjectMapper mapper, JavaType type, String prefix, Map<String, List<String>> out) {
    BeanDescription bean = mapper.getSerializationConfig().introspect(type);
    for (BeanPropertyDefinition property : bean.findProperties()) {
      if (!property.couldSerialize()) {
        continue;
      }
      String path = prefix + "." + property.getName();
      out.computeIfAbsent(type.getRawClass().getSimpleName() + "." + property.getName(), k -> new ArrayList<>())
          .add(path);
      JavaType child = property.getPrimaryType();
      while (child.isContainerType()) {
        child = child.getContentType();
      }
      Class<?> raw = child.getRawClass();
      if (raw.getPackageName().equals(ChainerJobSpec.class.getPackageName()) && !raw.isEnum()) {
        walk(mapper, child, path, out);
      }
    }
  }

  /** Every complete ChainerJob in the guide is valid as the operator checks it, so a user can apply it as it is. */
  @Test
  void theGuidesJobsAreValid() throws Exception {
    Matcher yaml = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL).matcher(guide());
    Map<String, List<Problem>> invalid = new LinkedHashMap<>();
    int jobs = 0;
    while (yaml.find()) {
      if (!yaml.group(1).contains("kind: ChainerJob")) {
        continue;
      }
      for (String doc : yaml.group(1).split("(?m)^---\\s*$")) {
        if (!doc.contains("kind: ChainerJob")) {
          continue;
        }
        ChainerJob job = JobFiles.bind(doc);
        job.getMetadata().setNamespace("team-a");
        if (job.getSpec().getSourceDirectory() == null && job.getSpec().getSourceDirectoryDataStore() == null) {
          // A job whose code comes with `kubectl chainer submit --source-dir`, checked as that command sends it.
          DataStore packed = new DataStore();
          packed.setConfigMap(job.getMetadata().getName() + "-source-x7k2p");
          job.getSpec().setSourceDirectoryDataStore(packed);
        }
        jobs++;
        List<Problem> errors = SpecValidator.validate(job, OperatorConfig.defaults()).stream()
            .filter(Problem::isError).toList();
        if (!errors.isEmpty()) {
          invalid.put(job.getMetadata().getName(), errors);
        }
      }
    }
    assertTrue(jobs >= 2, "the side-by-side job and the data stores' job: " + jobs);
    assertEquals(Map.of(), invalid);
  }
}
