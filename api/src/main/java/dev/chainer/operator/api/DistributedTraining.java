package dev.chainer.operator.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** The estimator's distributed_training: the successor of distributed_backend. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class DistributedTraining {
  @Required
  @JsonPropertyDescription("Run the script under MPI (the only backend Chainer supports).")
  private MpiConfiguration mpi;

  public MpiConfiguration getMpi() { return mpi; }
  public void setMpi(MpiConfiguration v) { this.mpi = v; }
}
