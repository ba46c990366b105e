package dev.factline.local;

import java.security.SecureRandom;
import java.util.Base64;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * The one key pair the local front's {@code --auth iam} accepts, made at start-up and printed, as an
 * IAM user's access key: an id of 20 characters (this one starts {@code AKIALOCAL}) and a secret.
 */
public record LocalCredentials(String accessKeyId, String secretAccessKey) {

    private static final String ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static LocalCredentials generate() {
        SecureRandom random = new SecureRandom();
        StringBuilder id = new StringBuilder("AKIALOCAL");
        while (id.length() < 20) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        byte[] secret = new byte[30];
        random.nextBytes(secret);
        return new LocalCredentials(id.toString(), Base64.getEncoder().encodeToString(secret));
    }

    /** A provider of exactly these, for a client that signs with them. */
    public StaticCredentialsProvider provider() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKeyId, secretAccessKey));
    }

    @Override
    public String toString() {
        return "LocalCredentials[" + accessKeyId + "]";
    }
}
