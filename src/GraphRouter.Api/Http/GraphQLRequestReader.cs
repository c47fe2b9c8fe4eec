using System.Buffers;
using System.Text;
using System.Text.Json;
using GraphQL;
using GraphQL.SystemTextJson;
using Microsoft.AspNetCore.Http;

namespace GraphRouter.Api.Http;

/// <summary>
/// Reads the request parameters (<c>query</c>, <c>operationName</c>, <c>variables</c>, <c>extensions</c>) strictly:
/// each must be absent, null or of its own JSON type, and anything else is a clear "bad request" message
/// rather than a guess. Variables become GraphQL.NET <see cref="Inputs"/> in one pass over the bytes.
/// </summary>
internal static class GraphQLRequestReader
{
    private static readonly InputsJsonConverter InputsConverter = new();
    private static readonly JsonSerializerOptions SerializerOptions = new();
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    /// <summary>Parses a POST body; on failure <paramref name="problem"/> says what is wrong with it.</summary>
    public static bool TryReadBody(ReadOnlySequence<byte> body, out GraphQLHttpRequest request, out string problem)
    {
        request = new GraphQLHttpRequest();
        if (body.IsEmpty)
        {
            problem = "The request body is empty; send a JSON object with a 'query'.";
            return false;
        }

        var reader = new Utf8JsonReader(body, ReaderOptions);
        try
        {
            reader.Read();

            if (reader.TokenType == JsonTokenType.StartArray)
            {
                problem = "Batched requests are not supported; send one JSON object per request.";
                return false;
            }

            if (reader.TokenType != JsonTokenType.StartObject)
            {
                problem = "The request body must be a JSON object with a 'query'.";
                return false;
            }

            string? query = null, operationName = null;
            Inputs? variables = null, extensions = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("query"u8))
                {
                    reader.Read();
                    if (!TryReadString(ref reader, "query", out query, out problem))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("operationName"u8))
                {
                    reader.Read();
                    if (!TryReadString(ref reader, "operationName", out operationName, out problem))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("variables"u8))
                {
                    reader.Read();
                    if (!TryReadInputs(ref reader, "variables", out variables, out problem))
                    {
                        return false;
                    }
                }
                else if (reader.ValueTextEquals("extensions"u8))
                {
                    reader.Read();
                    if (!TryReadInputs(ref reader, "extensions", out extensions, out problem))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            // Anything after the object (a second value, garbage) makes Read throw; trailing whitespace is fine.
            if (reader.Read())
            {
                problem = "The request body has content after its JSON object.";
                return false;
            }

            request = new GraphQLHttpRequest { Query = query, OperationName = operationName, Variables = variables, Extensions = extensions };
            problem = "";
            return true;
        }
        catch (JsonException exception)
        {
            problem = $"The request body is not valid JSON: {exception.Message}";
            return false;
        }
        catch (InvalidOperationException exception)
        {
            // The reader's string decoding: invalid UTF-8 bytes, or an escaped unpaired surrogate ("\ud800").
            problem = $"The request body is not valid UTF-8 JSON text: {exception.Message}";
            return false;
        }
    }

    /// <summary>Reads a GET request's parameters; <c>variables</c> and <c>extensions</c> are JSON-encoded objects.</summary>
    public static bool TryReadQueryString(IQueryCollection parameters, out GraphQLHttpRequest request, out string problem)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        request = new GraphQLHttpRequest();
        if (!TrySingle(parameters, "query", out var query, out problem)
            || !TrySingle(parameters, "operationName", out var operationName, out problem)
            || !TrySingle(parameters, "variables", out var variablesJson, out problem)
            || !TrySingle(parameters, "extensions", out var extensionsJson, out problem)
            || !TryParseInputs(variablesJson, "variables", out var variables, out problem)
            || !TryParseInputs(extensionsJson, "extensions", out var extensions, out problem))
        {
            return false;
        }

        request = new GraphQLHttpRequest
        {
            Query = query,
            OperationName = string.IsNullOrEmpty(operationName) ? null : operationName,
            Variables = variables,
            Extensions = extensions,
        };
        return true;
    }

    private static bool TrySingle(IQueryCollection parameters, string name, out string? value, out string problem)
    {
        var values = parameters[name];
        if (values.Count > 1)
        {
            value = null;
            problem = $"The '{name}' parameter is given {values.Count} times; give it once.";
            return false;
        }

        value = values.Count == 1 ? values[0] : null;
        problem = "";
        return true;
    }

    private static bool TryParseInputs(string? json, string name, out Inputs? inputs, out string problem)
    {
        inputs = null;
        problem = "";
        if (string.IsNullOrEmpty(json))
        {
            return true;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json), ReaderOptions);
        try
        {
            reader.Read();
            if (!TryReadInputs(ref reader, name, out inputs, out problem))
            {
                return false;
            }

            if (reader.Read())
            {
                problem = $"The '{name}' parameter has content after its JSON object.";
                return false;
            }

            return true;
        }
        catch (JsonException exception)
        {
            problem = $"The '{name}' parameter is not valid JSON: {exception.Message}";
            return false;
        }
        catch (InvalidOperationException exception)
        {
            problem = $"The '{name}' parameter is not valid JSON text: {exception.Message}";
            return false;
        }
    }

    private static bool TryReadString(ref Utf8JsonReader reader, string name, out string? value, out string problem)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                value = reader.GetString();
                problem = "";
                return true;
            case JsonTokenType.Null:
                value = null;
                problem = "";
                return true;
            default:
                value = null;
                problem = $"'{name}' must be a string; got {Describe(reader.TokenType)}.";
                return false;
        }
    }

    private static bool TryReadInputs(ref Utf8JsonReader reader, string name, out Inputs? inputs, out string problem)
    {
        inputs = null;
        problem = "";
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return true;
            case JsonTokenType.StartObject:
                try
                {
                    inputs = InputsConverter.Read(ref reader, typeof(Inputs), SerializerOptions);
                    return true;
                }
                catch (ArgumentException exception)
                {
                    // A key given twice in the same object.
                    problem = $"'{name}' is not a valid JSON object: {exception.Message}";
                    return false;
                }
            default:
                problem = $"'{name}' must be a JSON object; got {Describe(reader.TokenType)}.";
                return false;
        }
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        _ => token.ToString(),
    };
}
