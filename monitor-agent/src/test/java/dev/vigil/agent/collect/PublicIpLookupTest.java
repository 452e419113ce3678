package dev.vigil.agent.collect;

import java.io.IOException;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PublicIpLookupTest {
    @Test
    void onlyIpLiteralsAreAddressesAndNoneIsLookedUpInDns() throws IOException {
        assertEquals("203.0.113.7", PublicIpLookup.address("203.0.113.7"));
        assertEquals("2001:db8:0:0:0:0:0:1", PublicIpLookup.address("2001:db8::1"));
        for (String answer : new String[] {"", "1234", "example.com", "203.0.113", "203.0.113.7.9", "localhost",
                "<html>", "1.2.3.4 5.6.7.8", "::g", "300.1.1.1"}) {
            assertThrows(IOException.class, () -> PublicIpLookup.address(answer), answer);
        }
    }
}
