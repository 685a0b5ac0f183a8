package dev.chainer.operator.render;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.interfaces.EdECPrivateKey;
import java.util.Arrays;
import java.util.Base64;

/**
 * A job's Ed25519 key pair in the formats OpenSSH reads: the private key as "OPENSSH PRIVATE KEY"
 * (openssh-key-v1, unencrypted) and the public key as an authorized_keys line. Generation is the only
 * impure part of rendering, so it happens here, outside the renderer, which takes the pair as input.
 */
public record SshKeyPair(String privateKey, String publicKey) {
  private static final String TYPE = "ssh-ed25519";

  public static SshKeyPair generate(String comment) {
    try {
      KeyPair pair = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
      byte[] encodedPublic = pair.getPublic().getEncoded();
      // X.509 SubjectPublicKeyInfo of Ed25519 ends with the raw 32-byte public key.
      byte[] publicBytes = Arrays.copyOfRange(encodedPublic, encodedPublic.length - 32, encodedPublic.length);
      byte[] seed = ((EdECPrivateKey) pair.getPrivate()).getBytes().orElseThrow();
      return fromRaw(seed, publicBytes, comment);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JVM has no Ed25519 (Java 15+ is required)", e);
    }
  }

  static SshKeyPair fromRaw(byte[] seed, byte[] publicBytes, String comment) {
    byte[] publicBlob = new Writer().string(TYPE).bytes(publicBytes).toByteArray();
    String publicLine = TYPE + " " + Base64.getEncoder().encodeToString(publicBlob) + " " + comment;
    int check = new SecureRandom().nextInt();
    Writer secret = new Writer().uint32(check).uint32(check).string(TYPE).bytes(publicBytes)
        .bytes(concat(seed, publicBytes)).string(comment);
    for (int pad = 1; secret.size() % 8 != 0; pad++) {
      secret.raw(new byte[] {(byte) pad});
    }
    byte[] body = new Writer().raw("openssh-key-v1\0".getBytes(StandardCharsets.US_ASCII))
        .string("none").string("none").string("").uint32(1).bytes(publicBlob).bytes(secret.toByteArray())
        .toByteArray();
    String base64 = Base64.getMimeEncoder(70, new byte[] {'\n'}).encodeToString(body);
    String privatePem = "-----BEGIN OPENSSH PRIVATE KEY-----\n" + base64 + "\n-----END OPENSSH PRIVATE KEY-----\n";
    return new SshKeyPair(privatePem, publicLine + "\n");
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  /** The SSH wire encoding: big-endian uint32 lengths before strings. */
  private static final class Writer {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Writer uint32(int v) {
      out.write(v >>> 24);
      out.write(v >>> 16);
      out.write(v >>> 8);
      out.write(v);
      return this;
    }

    Writer bytes(byte[] b) {
      uint32(b.length);
      return raw(b);
    }

    Writer string(String s) {
      return bytes(s.getBytes(StandardCharsets.UTF_8));
    }

    Writer raw(byte[] b) {
      out.writeBytes(b);
      return this;
    }

    int size() {
      return out.size();
    }

    byte[] toByteArray() {
      return out.toByteArray();
    }
  }
}
