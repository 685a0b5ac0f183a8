package dev.chainer.operator.validation;

import dev.chainer.operator.api.ChainerJobSpec;
import dev.chainer.operator.api.CrdSchemaBounds;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * {@code spec.managedBy}: the controller that runs the job. Modelled on Kubernetes' batch/v1 Job {@code
 * spec.managedBy} (pkg/apis/batch/validation, validateManagedBy: at most 63 characters and a domain-prefixed path as
 * apimachinery's IsDomainPrefixedPath checks it, a DNS-1123 subdomain, '/', then a non-empty path of
 * {@code [A-Za-z0-9/-._~%!$&'()*+,;=:]}), which JobSet and the MPI Operator's MPIJob check the same way. A value
 * Kubernetes refuses, or a look-alike of the operator's own name, is a job no controller ever picks up; both are
 * refused here. Stricter than Kubernetes in one respect: no empty path segment ({@code a.io//x}, {@code a.io/x/}),
 * which no controller uses as its name and which only hides a typo. The CRD carries the same rule as CEL
 * ({@link CrdSchemaBounds#MANAGED_BY_PATTERN}).
 */
public final class ManagedByRule {
  public static final int MAX_LENGTH = 63;
  private static final Pattern VALID = Pattern.compile(CrdSchemaBounds.MANAGED_BY_PATTERN);

  private ManagedByRule() {}

  /** Whether a controller could be named so: absent, or a valid domain-prefixed path that is not a look-alike. */
  public static boolean isValid(String managedBy) {
    return managedBy == null || problem(managedBy) == null;
  }

  static void check(ChainerJobSpec spec, List<Problem> out) {
    String value = spec.getManagedBy();
    String problem = value == null ? null : problem(value);
    if (problem != null) {
      out.add(Problem.error("spec.managedBy", problem + ", got " + QueueRules.shown(value) + ": no controller would "
          + "ever run the job; leave it out for this operator (" + ChainerJobSpec.MANAGED_BY_OPERATOR + ")"));
    }
  }

  private static String problem(String value) {
    if (value.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters";
    }
    if (!VALID.matcher(value).matches()) {
      return "must be a domain-prefixed path such as " + ChainerJobSpec.MANAGED_BY_OPERATOR + " or "
          + "kueue.x-k8s.io/multikueue (a lowercase DNS-1123 subdomain, '/', then path segments of letters, digits "
          + "and -._~%!$&'()*+,;=: separated by single '/'), as Kubernetes requires of a Job's managedBy";
    }
    if (!value.equals(ChainerJobSpec.MANAGED_BY_OPERATOR)
        && value.toLowerCase(Locale.ROOT).equals(ChainerJobSpec.MANAGED_BY_OPERATOR)) {
      return "differs from the operator's own name " + ChainerJobSpec.MANAGED_BY_OPERATOR + " only in case: "
          + "controllers compare it exactly";
    }
    return null;
  }
}
