using GraphRouter.Storage.Changes;
using GraphRouter.Storage.Registry;
using Microsoft.Data.Sqlite;

namespace GraphRouter.Storage.Sqlite;

/// <summary>The model registry (the <c>llms</c> table) on the SQLite store.</summary>
public sealed partial class SqliteGraphStore
{
    private const string ModelColumns = "name, vendor, description, input_price_per_million, output_price_per_million, available";

    public async Task<IReadOnlyList<RegisteredModel>> GetModelsAsync(CancellationToken cancellationToken = default) =>
        await GatedAsync(() =>
        {
            using var command = Command($"SELECT {ModelColumns} FROM llms ORDER BY name");
            using var reader = command.ExecuteReader();
            var models = new List<RegisteredModel>();
            while (reader.Read())
            {
                models.Add(ReadModel(reader));
            }
            return models;
        }, cancellationToken);

    public async Task<RegisteredModel> RegisterModelAsync(ModelRegistration registration, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registration);
        registration.Validate();
        return await InWriteTransactionAsync(transaction =>
        {
            // One upsert: a new name is inserted available; a registered one keeps what the registration leaves null.
            using var command = Command($"""
                INSERT INTO llms (name, vendor, description, input_price_per_million, output_price_per_million, available)
                VALUES ($n, COALESCE($v, ''), COALESCE($d, ''), $in, $out, 1)
                ON CONFLICT (name) DO UPDATE SET
                    vendor = COALESCE($v, vendor),
                    description = COALESCE($d, description),
                    input_price_per_million = COALESCE($in, input_price_per_million),
                    output_price_per_million = COALESCE($out, output_price_per_million)
                RETURNING {ModelColumns}
                """, transaction);
            command.Parameters.AddWithValue("$n", registration.Name);
            command.Parameters.AddWithValue("$v", (object?)registration.Vendor ?? DBNull.Value);
            command.Parameters.AddWithValue("$d", (object?)registration.Description ?? DBNull.Value);
            command.Parameters.AddWithValue("$in", (object?)registration.InputPricePerMillion ?? DBNull.Value);
            command.Parameters.AddWithValue("$out", (object?)registration.OutputPricePerMillion ?? DBNull.Value);
            RegisteredModel model;
            using (var reader = command.ExecuteReader())
            {
                model = reader.Read() ? ReadModel(reader) : throw new InvalidOperationException($"registering model '{registration.Name}' returned no row");
            }
            WriteChange(transaction, StoreChangeKind.Model, model.Name);
            return model;
        }, cancellationToken);
    }

    public async Task<RegisteredModel?> SetModelAvailabilityAsync(string name, bool available, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(name);
        return await InWriteTransactionAsync(transaction =>
        {
            using var command = Command($"UPDATE llms SET available = $a WHERE name = $n RETURNING {ModelColumns}", transaction);
            command.Parameters.AddWithValue("$a", available ? 1 : 0);
            command.Parameters.AddWithValue("$n", name);
            RegisteredModel? model;
            using (var reader = command.ExecuteReader())
            {
                model = reader.Read() ? ReadModel(reader) : null;
            }
            if (model is not null)
            {
                WriteChange(transaction, StoreChangeKind.Model, model.Name);
            }
            return model;
        }, cancellationToken);
    }

    private static RegisteredModel ReadModel(SqliteDataReader reader) => new()
    {
        Name = reader.GetString(0),
        Vendor = reader.GetString(1),
        Description = reader.GetString(2),
        InputPricePerMillion = OptionalDouble(reader, 3),
        OutputPricePerMillion = OptionalDouble(reader, 4),
        Available = reader.GetInt64(5) != 0,
    };
}
