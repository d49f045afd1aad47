package dev.switchboard.config;

import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.nio.file.Files;
import java.nio.file.Path;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** A file the gateway reads at start-up: it must exist and be readable, or start-up stops saying which one. */
@Target(TYPE_USE)
@Retention(RUNTIME)
@Constraint(validatedBy = ReadableFile.Check.class)
public @interface ReadableFile {

    String message() default "the path of a readable file";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<ReadableFile, Path> {
        @Override
        public boolean isValid(Path file, ConstraintValidatorContext context) {
            return file == null || (Files.isRegularFile(file) && Files.isReadable(file));
        }
    }
}
