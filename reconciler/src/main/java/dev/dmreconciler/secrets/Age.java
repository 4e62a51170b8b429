package dev.dmreconciler.secrets;

import com.exceptionfactory.jagged.RecipientStanzaReader;
import com.exceptionfactory.jagged.RecipientStanzaWriter;
import com.exceptionfactory.jagged.framework.armor.ArmoredDecryptingChannelFactory;
import com.exceptionfactory.jagged.framework.armor.ArmoredEncryptingChannelFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaReaderFactory;
import com.exceptionfactory.jagged.x25519.X25519RecipientStanzaWriterFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;

/** age (X25519 recipients, ASCII armor) through jagged: how sops wraps its data key for each age recipient. */
final class Age {

    private Age() {
    }

    /**
     * Decrypts an armored age message with any of the identities.
     *
     * @return the plaintext, or null when no identity fits (wrong key)
     */
    static byte[] decrypt(String armored, List<String> identities, String file) {
        List<RecipientStanzaReader> readers = new ArrayList<>();
        for (String identity : identities) {
            try {
                readers.add(X25519RecipientStanzaReaderFactory.newRecipientStanzaReader(identity));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new SecretException(file, "an age identity in the key file is not valid (" + e.getClass().getSimpleName() + ")");
            }
        }
        try (ReadableByteChannel channel = new ArmoredDecryptingChannelFactory().newDecryptingChannel(
                Channels.newChannel(new ByteArrayInputStream(armored.getBytes(StandardCharsets.US_ASCII))), readers);
             InputStream in = Channels.newInputStream(channel)) {
            return in.readAllBytes();
        } catch (GeneralSecurityException | IOException e) {
            return null;
        }
    }

    /** Encrypts to age recipients ({@code age1…}), armored, as sops stores a data key. */
    static String encrypt(byte[] plaintext, List<String> recipients) {
        try {
            List<RecipientStanzaWriter> writers = new ArrayList<>();
            for (String recipient : recipients) {
                writers.add(X25519RecipientStanzaWriterFactory.newRecipientStanzaWriter(recipient));
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (WritableByteChannel channel = new ArmoredEncryptingChannelFactory()
                    .newEncryptingChannel(Channels.newChannel(out), writers);
                 OutputStream stream = Channels.newOutputStream(channel)) {
                stream.write(plaintext);
            }
            String armored = out.toString(StandardCharsets.US_ASCII);
            return armored.endsWith("\n") ? armored : armored + "\n";
        } catch (GeneralSecurityException | IOException | RuntimeException e) {
            throw new IllegalArgumentException("not a valid age recipient (age1…): " + e.getClass().getSimpleName());
        }
    }
}
