package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Where Chainer's snapshot extension writes inside the outputs, and how a new attempt resumes from the newest
 * complete snapshot there (a lost worker or a preemption then costs only the iterations since it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class Checkpoints {
  @Size(max = Limits.MAX_PATH_LENGTH)
  @ValidationRule(value = PathRule.RELATIVE_INSIDE,
      message = "outputs.checkpoints.directory must be a relative path inside the outputs (no leading '/', no '..')")
  @JsonPropertyDescription("Directory, relative to the outputs, where the trainer writes its snapshots (the "
      + "trainer's out). Default: the script's --out (or -o) when it points into outputs (e.g. --out outputs/result "
      + "gives result), else the outputs themselves.")
  private String directory;

  @Size(min = 1, max = 253)
  @Pattern("^[^/]+$")
  @JsonPropertyDescription("File name pattern of a snapshot (shell glob); default snapshot_iter_*, the name "
      + "Chainer's snapshot extension gives. The newest is the one whose name holds the highest number.")
  private String pattern;

  @Size(max = 64)
  @Pattern("^(-[^\\s=]*)?$")
  @JsonPropertyDescription("The script's flag that takes the snapshot to resume from; default --resume (the "
      + "classic Chainer examples'). Empty: no flag, only CHAINER_RESUME_FROM (for scripts that load it themselves, "
      + "such as snapshot(autoload=True) in Chainer 7).")
  private String resumeArgument;

  @JsonPropertyDescription("Auto (default): every attempt resumes from the newest complete snapshot; Never: every "
      + "attempt starts from the beginning.")
  private ResumePolicy resume;

  public String getDirectory() { return directory; }
  public void setDirectory(String v) { this.directory = v; }
  public String getPattern() { return pattern; }
  public void setPattern(String v) { this.pattern = v; }
  public String getResumeArgument() { return resumeArgument; }
  public void setResumeArgument(String v) { this.resumeArgument = v; }
  public ResumePolicy getResume() { return resume; }
  public void setResume(ResumePolicy v) { this.resume = v; }

  /** Whether a new attempt resumes from the newest snapshot. */
  public enum ResumePolicy { Auto, Never }
}
