package dev.switchboard.config;

import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import java.lang.annotation.Retention;
import java.lang.annotation.Target;
import java.net.URI;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

/** An http:// or https:// URL with a host: what the gateway can send Workspace API requests to. */
@Target(TYPE_USE)
@Retention(RUNTIME)
@Constraint(validatedBy = HttpUrl.Check.class)
public @interface HttpUrl {

    String message() default "an http:// or https:// URL with a host, such as https://api.example.com";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Check implements ConstraintValidator<HttpUrl, URI> {
        @Override
        public boolean isValid(URI url, ConstraintValidatorContext context) {
            return url == null || (("http".equals(url.getScheme()) || "https".equals(url.getScheme())) && url.getHost() != null);
        }
    }
}
