package dev.chainer.operator.status;

import dev.chainer.operator.api.ResumedFrom;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The line the launcher's resume step prints when it resumes ("chainer-operator: resuming from PATH (iteration N)"),
 * read from the head of the launcher's log, so the training pods need no rights on the API server.
 */
public final class ResumeLine {
  /** The step's own prefix; kept equal to LauncherScripts.RESUMING by ResumeLineTest. */
  public static final String PREFIX = "chainer-operator: resuming from ";
  /** The step's line when it found no snapshot; kept equal to LauncherScripts.FRESH by ResumeStepTest. */
  public static final String FRESH = "chainer-operator: no snapshot yet, starting from the beginning; looked in ";
  private static final Pattern LINE = Pattern.compile("^" + Pattern.quote(PREFIX) + "(.*) \\(iteration ([0-9]{1,18})\\)$",
      Pattern.MULTILINE);

  private ResumeLine() {}

  /** Whether the head of the log says the step found nothing (before the step has run, it says neither). */
  public static boolean startedFresh(String logHead) {
    return logHead.contains(FRESH);
  }

  public static Optional<ResumedFrom> parse(String logHead, int attempt) {
    Matcher m = LINE.matcher(logHead.replace("\r", ""));
    if (!m.find()) {
      return Optional.empty();
    }
    ResumedFrom r = new ResumedFrom();
    r.setPath(m.group(1));
    r.setIteration(Long.parseLong(m.group(2)));
    r.setAttempt(attempt);
    return Optional.of(r);
  }
}
