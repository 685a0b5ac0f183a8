package dev.chainer.operator.api;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;

/** A distributed Chainer / ChainerMN training run, described with the Azure ML estimator's parameters. */
@Group(ChainerJob.GROUP)
@Version(ChainerJob.VERSION)
@Kind("ChainerJob")
@Plural("chainerjobs")
@Singular("chainerjob")
@ShortNames("chj")
@AdditionalPrinterColumn(name = "Phase", jsonPath = ".status.phase")
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.ready", getDescription = "Ready workers / workers")
@AdditionalPrinterColumn(name = "Restarts", jsonPath = ".status.restartCount", type = AdditionalPrinterColumn.Type.INTEGER)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
// Worker pods are named <job>-worker-<n>; a StatefulSet name must leave room for its 11-character
// revision-hash suffix within 63, hence 45.
@ValidationRule(value = "self.metadata.name.size() <= 45 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
    message = "metadata.name must be a DNS label of at most 45 characters starting with a letter: it names the "
        + "job's Service, StatefulSet and pods")
public class ChainerJob extends CustomResource<ChainerJobSpec, ChainerJobStatus> implements Namespaced {
  public static final String GROUP = "chainer.dev";
  public static final String VERSION = "v1";
  public static final String API_VERSION = GROUP + "/" + VERSION;
}
