package dev.chainer.operator.localcluster;

import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.dsl.HttpMethod;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.internal.MockDispatcher;
import io.fabric8.mockwebserver.internal.SimpleRequest;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;

/**
 * Routes the in-process API server's requests as Fabric8's mixed dispatcher does (a test's expectations
 * first, then the CRUD store), with an indexed store, pods' logs and the pods/eviction and pods/binding subresources.
 */
final class LocalDispatcher extends Dispatcher {
  private final Map<ServerRequest, Queue<ServerResponse>> expectations;
  private final MockDispatcher expected;
  private final PodLogs logs;
  private final IndexedCrudDispatcher store;
  private final Deletion deletion;
  private final Discovery discovery;
  private final Outages outages = new Outages();
  private final Evictions evictions;
  private final Bindings bindings;

  LocalDispatcher(Map<ServerRequest, Queue<ServerResponse>> expectations, PodLogs logs, boolean cel) {
    this.store = new IndexedCrudDispatcher(cel, outages);
    this.deletion = new Deletion(store);
    this.evictions = new Evictions(store, deletion);
    this.bindings = new Bindings(store, deletion);
    this.discovery = new Discovery(store::crds);
    this.expectations = expectations;
    this.expected = new MockDispatcher(expectations);
    this.logs = logs;
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    Queue<ServerResponse> queue = expectations.get(new SimpleRequest(HttpMethod.valueOf(request.getMethod()),
        request.getPath()));
    if (queue != null && !queue.isEmpty()) {
      return expected.dispatch(request);
    }
    Optional<MockResponse> unavailable = outages.refuse(request, store.resource(request.getPath()));
    if (unavailable.isPresent()) {
      return unavailable.get();
    }
    if ("DELETE".equals(request.getMethod())) {
      return deletion.delete(request);
    }
    Optional<MockResponse> subresource = evictions.serve(request).or(() -> bindings.serve(request));
    if (subresource.isPresent()) {
      return subresource.get();
    }
    return logs.serve(request).or(() -> discovery.serve(request)).orElseGet(() -> store.dispatch(request));
  }

  WatchHolds watchHolds() {
    return store.holds();
  }

  Outages outages() {
    return outages;
  }

  Evictions evictions() {
    return evictions;
  }
}
