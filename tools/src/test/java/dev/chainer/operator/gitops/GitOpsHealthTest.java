package dev.chainer.operator.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.cel.common.types.SimpleType;
import dev.cel.compiler.CelCompiler;
import dev.cel.compiler.CelCompilerFactory;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelRuntimeFactory;
import dev.chainer.operator.api.ChainerJob;
import dev.chainer.operator.api.ChainerJobStatus;
import dev.chainer.operator.api.JobPhase;
import dev.chainer.operator.status.JobConditions;
import dev.chainer.operator.testing.Repository;
import dev.chainer.operator.testing.TestJobs;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.luaj.vm2.LuaTable;
import org.luaj.vm2.LuaValue;
import org.luaj.vm2.lib.jse.JsePlatform;

/** The shipped Argo CD Lua health check and Flux health expressions, on statuses the operator writes. */
class GitOpsHealthTest {
  private static final Path LUA = Repository.path("docs/gitops/argocd-health-chainerjob.lua");
  private static final Path FLUX = Repository.path("docs/gitops/flux-health-checks.yaml");

  /** A job whose status is what the operator writes for that phase (conditions from JobConditions). */
  private static ChainerJob job(JobPhase phase, String reason, boolean suspended, long generation, Long observed) {
    ChainerJob job = TestJobs.mpi("");
    job.getMetadata().setGeneration(generation);
    if (phase == null) {
      return job;
    }
    ChainerJobStatus s = new ChainerJobStatus();
    s.setPhase(phase);
    s.setReason(reason);
    s.setMessage(reason == null ? null : "because " + reason);
    s.setObservedGeneration(observed);
    s.setReady("2/2");
    s.setTotalWorkers(2);
    s.setReadyWorkers(2);
    s.setConditions(JobConditions.of(s, true, suspended, observed == null ? 0 : observed, List.of(), Instant.now()));
    job.setStatus(s);
    return job;
  }

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(job(null, null, false, 1, null), "Progressing", "progressing"),
        Arguments.of(job(JobPhase.Running, null, false, 2, 1L), "Progressing", "progressing"),
        Arguments.of(job(JobPhase.Queued, null, false, 1, 1L), "Progressing", "progressing"),
        Arguments.of(job(JobPhase.Running, null, false, 1, 1L), "Progressing", "progressing"),
        Arguments.of(job(JobPhase.Completed, "Succeeded", false, 1, 1L), "Healthy", "current"),
        Arguments.of(job(JobPhase.Failed, "DeadlineExceeded", false, 1, 1L), "Degraded", "failed"),
        Arguments.of(job(JobPhase.Failed, "InvalidSpec", false, 1, 1L), "Degraded", "failed"),
        Arguments.of(job(JobPhase.Queued, "Suspended", true, 1, 1L), "Suspended", "progressing"),
        Arguments.of(job(JobPhase.Canceled, "Canceled", false, 1, 1L), "Suspended", "progressing"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void argoCdHealth(ChainerJob job, String argo, String flux) throws Exception {
    LuaValue hs = runLua(job);
    assertEquals(argo, hs.get("status").tojstring(), hs.get("message").tojstring());
    if (argo.equals("Degraded")) {
      assertTrue(hs.get("message").tojstring().startsWith(job.getStatus().getReason() + ": because"));
    }
  }

  @ParameterizedTest
  @MethodSource("cases")
  void fluxHealth(ChainerJob job, String argo, String flux) throws Exception {
    if (job.getStatus() == null || !job.getStatus().getObservedGeneration().equals(job.getMetadata().getGeneration())) {
      return; // kstatus itself reports these as in progress before any expression runs
    }
    Map<String, String> exprs = fluxExpressions();
    boolean current = eval(exprs.get("current"), job);
    boolean failed = eval(exprs.get("failed"), job);
    boolean inProgress = eval(exprs.get("inProgress"), job);
    assertEquals(flux, current ? "current" : failed ? "failed" : "progressing");
    assertEquals(!current && !failed, inProgress);
  }

  private static LuaValue runLua(ChainerJob job) throws Exception {
    var globals = JsePlatform.standardGlobals();
    globals.set("obj", toLua(Serialization.jsonMapper().convertValue(job, Object.class)));
    return globals.load(Files.readString(LUA), "health.lua").call();
  }

  private static LuaValue toLua(Object value) {
    if (value instanceof Map<?, ?> map) {
      LuaTable t = new LuaTable();
      map.forEach((k, v) -> {
        if (v != null) {
          t.set(k.toString(), toLua(v));
        }
      });
      return t;
    }
    if (value instanceof List<?> list) {
      LuaTable t = new LuaTable();
      for (int i = 0; i < list.size(); i++) {
        t.set(i + 1, toLua(list.get(i)));
      }
      return t;
    }
    if (value instanceof Number n) {
      return LuaValue.valueOf(n.doubleValue());
    }
    if (value instanceof Boolean b) {
      return LuaValue.valueOf(b);
    }
    return value == null ? LuaValue.NIL : LuaValue.valueOf(value.toString());
  }

  @SuppressWarnings("unchecked")
  private static Map<String, String> fluxExpressions() throws Exception {
    Map<String, Object> doc = Serialization.unmarshal(Files.readString(FLUX), Map.class);
    return (Map<String, String>) ((List<Object>) doc.get("healthCheckExprs")).get(0);
  }

  @SuppressWarnings("unchecked")
  private static boolean eval(String expression, ChainerJob job) throws Exception {
    CelCompiler compiler = CelCompilerFactory.standardCelCompilerBuilder()
        .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
        .addVar("status", SimpleType.DYN).addVar("metadata", SimpleType.DYN).addVar("spec", SimpleType.DYN).build();
    Map<String, Object> object = Serialization.jsonMapper().convertValue(job, Map.class);
    Map<String, Object> vars = new HashMap<>();
    vars.put("status", object.get("status"));
    vars.put("metadata", object.get("metadata"));
    vars.put("spec", object.get("spec"));
    return Boolean.TRUE.equals(CelRuntimeFactory.standardCelRuntimeBuilder().build()
        .createProgram(compiler.compile(expression).getAst()).eval(vars));
  }
}
