package dev.chainer.operator.localcluster;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionVersion;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * API discovery of custom resources ({@code GET /apis/<group>/<version>}), as the API server serves it for every
 * installed CRD: clients that address a kind by apiVersion and kind (generic informers) learn its plural and scope
 * here.
 */
final class Discovery {
  private static final Pattern GROUP_VERSION = Pattern.compile("^/apis/([^/]+)/([^/?]+)/?$");
  private final Supplier<List<CustomResourceDefinition>> crds;

  Discovery(Supplier<List<CustomResourceDefinition>> crds) {
    this.crds = crds;
  }

  Optional<MockResponse> serve(RecordedRequest request) {
    Matcher m = GROUP_VERSION.matcher(request.getPath());
    if (!"GET".equals(request.getMethod()) || !m.matches()) {
      return Optional.empty();
    }
    String group = m.group(1);
    String version = m.group(2);
    List<CustomResourceDefinition> served = crds.get().stream().filter(c -> group.equals(c.getSpec().getGroup()))
        .filter(c -> c.getSpec().getVersions().stream().filter(CustomResourceDefinitionVersion::getServed)
            .anyMatch(v -> version.equals(v.getName()))).toList();
    if (served.isEmpty()) {
      return Optional.empty(); // built-in groups: the store's own answer
    }
    APIResourceListBuilder list = new APIResourceListBuilder().withGroupVersion(group + "/" + version);
    for (CustomResourceDefinition crd : served) {
      var names = crd.getSpec().getNames();
      boolean namespaced = "Namespaced".equals(crd.getSpec().getScope());
      List<String> verbs = List.of("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch");
      list.addToResources(new APIResourceBuilder().withName(names.getPlural()).withKind(names.getKind())
          .withSingularName(names.getSingular()).withNamespaced(namespaced).withVerbs(verbs).build());
      list.addToResources(new APIResourceBuilder().withName(names.getPlural() + "/status").withKind(names.getKind())
          .withSingularName("").withNamespaced(namespaced).withVerbs(List.of("get", "patch", "update")).build());
    }
    return Optional.of(new MockResponse().setResponseCode(200).setBody(Serialization.asJson(list.build())));
  }
}
