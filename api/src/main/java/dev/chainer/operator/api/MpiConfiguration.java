package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

/** The estimator's Mpi object. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class MpiConfiguration {
  @Min(1)
  @Max(Limits.MAX_PROCESSES_PER_NODE)
  @JsonPropertyDescription("MPI processes per worker node (process_count_per_node); default 1. Must equal "
      + "spec.processCountPerNode when both are set.")
  private Integer processCountPerNode;

  @JsonPropertyDescription("MPI implementation in the training image: OpenMPI (default), IntelMPI or MPICH. "
      + "Decides the hostfile format and the launcher command.")
  private MpiImplementation implementation;

  public Integer getProcessCountPerNode() { return processCountPerNode; }
  public void setProcessCountPerNode(Integer v) { this.processCountPerNode = v; }
  public MpiImplementation getImplementation() { return implementation; }
  public void setImplementation(MpiImplementation v) { this.implementation = v; }
}
