package io.deltaagent.catalog;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The include/exclude globs of a catalog over its table names: {@code *} matches any run of characters (dots too),
 * {@code ?} one character, case-insensitively (Glue and Unity fold names to lower case). No include glob selects
 * every table; an exclude glob wins over an include glob.
 */
public record NameFilter(List<String> include, List<String> exclude) {

    public NameFilter {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    public static NameFilter all() {
        return new NameFilter(List.of(), List.of());
    }

    public boolean accepts(String name) {
        if (exclude.stream().anyMatch(g -> matches(g, name))) {
            return false;
        }
        return include.isEmpty() || include.stream().anyMatch(g -> matches(g, name));
    }

    static boolean matches(String glob, String name) {
        StringBuilder re = new StringBuilder();
        for (char c : glob.toCharArray()) {
            switch (c) {
                case '*' -> re.append(".*");
                case '?' -> re.append('.');
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL)
                .matcher(name.toLowerCase(Locale.ROOT)).matches();
    }
}
