package dev.switchboard.workarounds;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks code that exists because of something the MCP library (quarkus-mcp-server, the release
 * {@code LibraryVersionTest} pins) does, or does differently from the specification. {@link #entry()} is the row of
 * docs/library-workarounds.md that says what the library does and which test shows it; the test checks that each row
 * and its marks agree, so that after an upgrade every workaround is found from one list, and dropped with its row.
 * What only works around the library lives in this package; what is also the gateway's own feature (the stateless
 * era, checking messages) is marked where it is.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface LibraryWorkaround {

    /** The row of docs/library-workarounds.md. */
    int[] entry();
}
