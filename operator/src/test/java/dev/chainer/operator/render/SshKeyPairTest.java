package dev.chainer.operator.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SshKeyPairTest {
  @Test
  void eachJobGetsAFreshPairInOpenSshFormats() {
    SshKeyPair a = SshKeyPair.generate("job-a");
    SshKeyPair b = SshKeyPair.generate("job-b");
    assertNotEquals(a.privateKey(), b.privateKey());
    assertTrue(a.privateKey().startsWith("-----BEGIN OPENSSH PRIVATE KEY-----\n"));
    assertTrue(a.privateKey().endsWith("-----END OPENSSH PRIVATE KEY-----\n"));
    assertTrue(a.publicKey().matches("ssh-ed25519 [A-Za-z0-9+/=]+ job-a\n"), a.publicKey());
  }

  @Test
  void openSshDerivesTheSamePublicKeyFromThePrivateKey(@TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/ssh-keygen")), "ssh-keygen is not installed");
    SshKeyPair keys = SshKeyPair.generate("job");
    Path key = dir.resolve("id_ed25519");
    Files.writeString(key, keys.privateKey());
    Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
    Process p = new ProcessBuilder("/usr/bin/ssh-keygen", "-y", "-f", key.toString()).redirectErrorStream(true).start();
    assertTrue(p.waitFor(30, TimeUnit.SECONDS));
    String derived = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertEquals(0, p.exitValue(), derived);
    String[] expected = keys.publicKey().trim().split(" ");
    assertTrue(derived.startsWith(expected[0] + " " + expected[1]), derived + " vs " + keys.publicKey());
  }
}
