package dev.dmreconciler.cli;

import dev.dmreconciler.params.InvalidInputException;
import dev.dmreconciler.secrets.AnsibleVault;
import dev.dmreconciler.secrets.InlineVaults;
import dev.dmreconciler.secrets.SecretException;
import dev.dmreconciler.secrets.SecretKeys;
import dev.dmreconciler.secrets.Sops;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** Helps authors add secrets without Ansible or sops installed: encrypt a value or a file, decrypt to check. */
@Command(name = "secret", mixinStandardHelpOptions = true,
        description = "Encrypt a value for Ansible Vault or a file for sops+age; decrypt to check.",
        subcommands = {SecretCommand.Encrypt.class, SecretCommand.Decrypt.class})
final class SecretCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** Which key encrypts: a vault password file (a value) or an age recipient (a file). */
    static final class Target {
        @Option(names = "--vault-password-file", paramLabel = "FILE", required = true,
                description = "Encrypt the value read from stdin with this vault password; prints a 'NAME: !vault |' entry.")
        Path vaultPasswordFile;

        @Option(names = "--age", paramLabel = "RECIPIENT", required = true,
                description = "Encrypt a YAML file with sops for this age recipient (age1…); repeat for several.")
        List<String> ageRecipients;
    }

    @Command(name = "encrypt", mixinStandardHelpOptions = true,
            description = {"secret encrypt --vault-password-file F NAME < value   (prints NAME: !vault | …, as ansible-vault encrypt_string)",
                    "secret encrypt --age age1… [--encrypted-regex '^(data|stringData)$'] [--in-place] FILE   (as sops --encrypt --age)"})
    static final class Encrypt implements Callable<Integer> {

        @ArgGroup(exclusive = true, multiplicity = "1")
        Target target;

        @Option(names = "--encrypted-regex", paramLabel = "REGEX",
                description = "sops: encrypt only values under keys matching this (e.g. '^(data|stringData)$' for Secrets).")
        String encryptedRegex;

        @Option(names = {"-i", "--in-place"}, description = "sops: replace FILE with its encrypted form instead of printing it.")
        boolean inPlace;

        @Parameters(index = "0", paramLabel = "NAME|FILE", description = "The variable's name (vault) or the file (sops).")
        String argument;

        @Spec
        CommandSpec spec;

        InputStream stdin = System.in;

        @Override
        public Integer call() throws IOException {
            PrintWriter out = spec.commandLine().getOut();
            if (target.vaultPasswordFile != null) {
                if (!argument.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    throw InvalidInputException.of("NAME", argument, "not a variable name");
                }
                String value = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
                value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value; // echo adds one
                char[] password = new SecretKeys(target.vaultPasswordFile, null, null).vaultPassword(target.vaultPasswordFile.toString());
                out.println(argument + ": !vault |");
                AnsibleVault.encrypt(value.getBytes(StandardCharsets.UTF_8), password).lines()
                        .forEach(line -> out.println("          " + line));
                out.flush();
                return Main.OK;
            }
            Path file = Path.of(argument);
            if (!Files.isRegularFile(file)) {
                throw InvalidInputException.of(argument, null, "no such file");
            }
            try {
                String encrypted = Sops.encrypt(Files.readString(file), target.ageRecipients, encryptedRegex, argument);
                if (inPlace) {
                    Files.writeString(file, encrypted);
                    spec.commandLine().getErr().println("encrypted " + file + " for " + target.ageRecipients);
                } else {
                    out.print(encrypted);
                }
            } catch (SecretException e) {
                throw InvalidInputException.of(argument, null, e.reason());
            } catch (IllegalArgumentException e) {
                throw InvalidInputException.of(argument, "--age", e.getMessage());
            }
            out.flush();
            return Main.OK;
        }
    }

    @Command(name = "decrypt", mixinStandardHelpOptions = true,
            description = {"Decrypts a vault file, a parameter file with !vault values, or a sops file, and checks it (HMAC, MAC).",
                    "Secret values print as <redacted>; --output FILE writes the plaintext to a file instead."})
    static final class Decrypt implements Callable<Integer> {

        @Option(names = "--vault-password-file", paramLabel = "FILE", description = "Default: $ANSIBLE_VAULT_PASSWORD_FILE.")
        Path vaultPasswordFile;

        @Option(names = "--sops-age-key-file", paramLabel = "FILE", description = "Default: $SOPS_AGE_KEY_FILE.")
        Path sopsAgeKeyFile;

        @Option(names = "--output", paramLabel = "FILE", description = "Write the plaintext here (never to the terminal).")
        Path output;

        @Parameters(index = "0", paramLabel = "FILE")
        Path file;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (!Files.isRegularFile(file)) {
                throw InvalidInputException.of(file.toString(), null, "no such file");
            }
            SecretKeys keys = SecretKeys.of(vaultPasswordFile, sopsAgeKeyFile, System.getenv());
            SecretKeys.install(keys);
            String name = file.toString();
            String text = Files.readString(file);
            String plain;
            try {
                boolean wholeVault = AnsibleVault.isVault(text);
                plain = wholeVault
                        ? new String(AnsibleVault.decrypt(text, keys.vaultPassword(name), name), StandardCharsets.UTF_8)
                        : Sops.decryptText(text, keys, name);
                plain = InlineVaults.open(name, plain, wholeVault);
            } catch (SecretException e) {
                throw InvalidInputException.of(name, null, e.reason());
            }
            if (output != null) {
                Files.writeString(output, plain);
                spec.commandLine().getErr().println("decrypted " + file + " to " + output + " (keep it out of git)");
            } else {
                spec.commandLine().getOut().print(plain.endsWith("\n") ? plain : plain + "\n");
            }
            return Main.OK;
        }
    }
}
