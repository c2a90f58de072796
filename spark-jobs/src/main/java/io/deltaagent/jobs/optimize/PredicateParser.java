package io.deltaagent.jobs.optimize;

import static java.util.Objects.requireNonNull;

import io.deltaagent.jobs.error.InvalidInputException;
import io.deltaagent.jobs.spark.Scala;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.analysis.UnresolvedAttribute;
import org.apache.spark.sql.catalyst.expressions.Expression;
import org.apache.spark.sql.catalyst.expressions.SubqueryExpression;
import org.apache.spark.sql.catalyst.parser.ParseException;

/** Parses a {@code --where} predicate with the session's own SQL parser and lists the columns it names. */
public final class PredicateParser {
    private final SparkSession spark;

    public PredicateParser(SparkSession spark) {
        this.spark = requireNonNull(spark, "spark");
    }

    /**
     * @return the column names the predicate references, in order of appearance, multi-part names joined by dots
     * @throws InvalidInputException when the text is not a valid predicate
     */
    public List<String> references(String tableUri, String predicate) {
        Expression expression;
        try {
            expression = spark.sessionState().sqlParser().parseExpression(predicate);
        } catch (ParseException e) {
            throw new InvalidInputException(tableUri + ": --where '" + predicate + "' is not a valid Spark SQL "
                    + "predicate: " + firstLine(e.getMessage()), e);
        }
        Set<String> names = new LinkedHashSet<>();
        collect(tableUri, predicate, expression, names);
        return new ArrayList<>(names);
    }

    private static void collect(String tableUri, String predicate, Expression expression, Set<String> names) {
        if (expression instanceof SubqueryExpression) {
            throw new InvalidInputException(tableUri + ": --where '" + predicate + "' contains a subquery; "
                    + "OPTIMIZE's WHERE takes a predicate on partition columns only.");
        }
        if (expression instanceof UnresolvedAttribute attribute) {
            names.add(String.join(".", Scala.list(attribute.nameParts())));
            return;
        }
        for (Expression child : Scala.list(expression.children())) {
            collect(tableUri, predicate, child, names);
        }
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        String trimmed = message.strip();
        int newline = trimmed.indexOf('\n');
        return newline < 0 ? trimmed : trimmed.substring(0, newline);
    }
}
