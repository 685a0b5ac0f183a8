package dev.chainer.operator.localcluster.admission;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.client.server.mock.crud.KubernetesCrudDispatcherException;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A write the in-process API server refuses, answered as a real one does: 422 (or 403), a Status with reason
 * Invalid naming the object, and one cause per field.
 */
public final class Refusal extends KubernetesCrudDispatcherException {
  private final String kind;
  private final String group;
  private final String name;
  private final List<StatusCause> causes;

  public Refusal(String kind, String group, String name, List<StatusCause> causes) {
    this(message(kind, group, name, causes), 422, kind, group, name, causes);
  }

  private Refusal(String message, int code, String kind, String group, String name, List<StatusCause> causes) {
    super(message, code);
    this.kind = kind;
    this.group = group;
    this.name = name;
    this.causes = causes;
  }

  /** 403: a policy (not the object's validity) forbids the write, e.g. PodSecurity admission. */
  public static Refusal forbidden(String resource, String name, String why) {
    return new Refusal(resource + " \"" + name + "\" is forbidden: " + why, 403, null, null, name, List.of());
  }

  /**
   * One field's problem, as a Status cause. Its reason is the field.ErrorType the message starts with, as apimachinery
   * words them (FieldValueRequired for "Required value", FieldValueForbidden for "Forbidden", ...), else
   * FieldValueInvalid, the usual one.
   */
  public static StatusCause cause(String field, String message) {
    return new StatusCause(field, message, reason(message));
  }

  private static String reason(String message) {
    for (String[] type : ERROR_TYPES) {
      if (message.startsWith(type[0])) {
        return type[1];
      }
    }
    return "FieldValueInvalid";
  }

  /** apimachinery's field.ErrorType strings and the reasons they are reported under. */
  private static final String[][] ERROR_TYPES = {{"Required value", "FieldValueRequired"},
      {"Forbidden", "FieldValueForbidden"}, {"Unsupported value", "FieldValueNotSupported"},
      {"Duplicate value", "FieldValueDuplicate"}, {"Not found", "FieldValueNotFound"},
      {"Too long", "FieldValueTooLong"}, {"Too many", "FieldValueTooMany"}};

  private static String message(String kind, String group, String name, List<StatusCause> causes) {
    String what = group == null || group.isEmpty() ? kind : kind + "." + group;
    String list = causes.stream().map(c -> c.getField().isEmpty() ? c.getMessage() : c.getField() + ": "
        + c.getMessage()).collect(Collectors.joining(", "));
    return what + " \"" + name + "\" is invalid: " + (causes.size() > 1 ? "[" + list + "]" : list);
  }

  @Override
  public Status toStatus() {
    return new StatusBuilder().withStatus("Failure").withReason(getCode() == 403 ? "Forbidden" : "Invalid")
        .withCode(getCode())
        .withMessage(getMessage())
        .withNewDetails().withKind(kind).withGroup(group).withName(name).withCauses(causes).endDetails()
        .build();
  }

  @Override
  public String toStatusBody() {
    return Serialization.asJson(toStatus());
  }
}
