import java.io.IOException;

/** One call of a workload on a connection (role: workloads); answers null when the answer was right, else what was wrong. */
interface Op {
    String run(Http connection, long seq) throws IOException;
}
