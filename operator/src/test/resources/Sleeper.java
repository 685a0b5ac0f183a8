/** A child JVM for ChildThreadDumpsTest: it only waits, as a hung operator process would. */
public class Sleeper {
  public static void main(String[] args) throws Exception {
    Thread.sleep(60_000);
  }
}
