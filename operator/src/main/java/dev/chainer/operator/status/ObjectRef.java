package dev.chainer.operator.status;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** One object the operator may delete, named exactly: kind, name, and the uid it must still have. */
public record ObjectRef(String apiVersion, String kind, String name, String uid) {

  public static ObjectRef of(HasMetadata o) {
    return new ObjectRef(o.getApiVersion(), o.getKind() == null ? o.getClass().getSimpleName() : o.getKind(),
        o.getMetadata().getName(), o.getMetadata().getUid());
  }

  /** e.g. "Pod train-launcher". */
  @Override
  public String toString() {
    return kind + " " + name;
  }
}
