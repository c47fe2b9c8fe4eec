// Retargets one GNU symbol-version need of an ELF64 little-endian shared library to an older version
// the same library already needs, and clears the version of the marker symbol that asked for it.
//
// This file is compiled twice: into the task assembly that build/TorchSharpNativeFix.targets builds (no
// implicit usings, no analyzers) and into tests/GraphRouter.Training.Tests, so the tests run the code the build runs.
// Keep its usings explicit.
#nullable enable
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;

namespace GraphRouter.Build;

/// <summary>
/// Reads and patches the GNU symbol versioning sections of an ELF64 little-endian file
/// (.gnu.version = SHT_GNU_versym, .gnu.version_r = SHT_GNU_verneed, .gnu.version_d = SHT_GNU_verdef).
/// Every read is bounds-checked; any layout it does not expect throws <see cref="InvalidDataException"/>
/// before a single byte is changed.
/// </summary>
public static class ElfVersionNeedPatcher
{
    private const uint ShtStrtab = 3;
    private const uint ShtDynsym = 11;
    private const uint ShtGnuVerdef = 0x6ffffffd;
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const uint ShtGnuVersym = 0x6fffffff;
    private const int SectionHeaderSize = 64;
    private const int SymbolSize = 24;
    private const int VerneedSize = 16;
    private const int VernauxSize = 16;
    private const int VerdefSize = 20;
    private const int VerdauxSize = 8;
    private const ushort VersionGlobal = 1;
    private const ushort VersionHiddenBit = 0x8000;

    /// <summary>
    /// Patches <paramref name="image"/> in memory: the Vernaux entry naming <paramref name="neededVersion"/> is
    /// renamed to <paramref name="replacementVersion"/> (which must already be needed from the same library),
    /// and every dynamic symbol bound to it, all of which must be named <paramref name="markerSymbol"/> and be
    /// undefined, gets the global version index 1. Returns false, changing nothing, when no need names
    /// <paramref name="neededVersion"/> (a file patched before, or one that never needed it).
    /// </summary>
    public static bool Patch(byte[] image, string neededVersion, string replacementVersion, string markerSymbol)
    {
        var sections = ReadSections(image);
        var verneed = FindSingle(sections, ShtGnuVerneed, ".gnu.version_r");
        if (verneed is null)
        {
            return false;
        }

        var versym = FindSingle(sections, ShtGnuVersym, ".gnu.version")
            ?? throw new InvalidDataException("The file has a version-needs section but no .gnu.version section.");
        var dynstr = LinkedSection(sections, verneed.Value, ShtStrtab, ".gnu.version_r");
        var dynsym = LinkedSection(sections, versym, ShtDynsym, ".gnu.version");
        if (dynsym.Link != verneed.Value.Link)
        {
            throw new InvalidDataException(".dynsym and .gnu.version_r name different string tables.");
        }

        var needs = ReadNeeds(image, verneed.Value, dynstr);
        var target = -1;
        for (var i = 0; i < needs.Count; i++)
        {
            if (needs[i].Name == neededVersion)
            {
                if (target >= 0)
                {
                    throw new InvalidDataException($"{neededVersion} is needed more than once.");
                }

                target = i;
            }
        }

        if (target < 0)
        {
            return false;
        }

        var from = needs[target];
        var to = -1;
        for (var i = 0; i < needs.Count; i++)
        {
            if (needs[i].Name == replacementVersion && needs[i].File == from.File)
            {
                to = i;
            }
        }

        if (to < 0)
        {
            throw new InvalidDataException(
                $"{replacementVersion} is not already needed from {from.File}; refusing to invent a version string.");
        }

        var symbolCount = checked((int)(dynsym.Size / SymbolSize));
        if (dynsym.Size % SymbolSize != 0 || versym.Size != (ulong)symbolCount * 2)
        {
            throw new InvalidDataException(".gnu.version does not have one entry per .dynsym symbol.");
        }

        var bound = new List<int>();
        for (var i = 0; i < symbolCount; i++)
        {
            var version = (ushort)(ReadU16(image, versym.Offset + ((ulong)i * 2)) & ~VersionHiddenBit);
            if (version != from.Index)
            {
                continue;
            }

            var symbol = dynsym.Offset + ((ulong)i * SymbolSize);
            var name = ReadString(image, dynstr, ReadU32(image, symbol));
            var sectionIndex = ReadU16(image, symbol + 6);
            if (name != markerSymbol || sectionIndex != 0)
            {
                throw new InvalidDataException(
                    $"Symbol '{name}' (section {sectionIndex}) is bound to {neededVersion}; only the undefined marker {markerSymbol} may be.");
            }

            bound.Add(i);
        }

        if (bound.Count == 0)
        {
            throw new InvalidDataException($"No symbol is bound to {neededVersion}; the layout is not the expected one.");
        }

        WriteU32(image, from.AuxOffset, ElfHash(replacementVersion));
        WriteU32(image, from.AuxOffset + 8, needs[to].NameOffset);
        foreach (var i in bound)
        {
            WriteU16(image, versym.Offset + ((ulong)i * 2), VersionGlobal);
        }

        return true;
    }

    /// <summary>
    /// Patches the file at <paramref name="path"/> (see <see cref="Patch"/>). The new bytes go to a fresh file
    /// that replaces the old one by rename, so a hard link or symbolic link at <paramref name="path"/> (into a
    /// package cache, say) is replaced, never written through. The original permissions and last-write time are
    /// kept, so MSBuild's unchanged-file checks do not copy the unpatched original over it again.
    /// </summary>
    public static bool PatchFile(string path, string neededVersion, string replacementVersion, string markerSymbol)
    {
        var image = File.ReadAllBytes(path);
        if (!Patch(image, neededVersion, replacementVersion, markerSymbol))
        {
            return false;
        }

        var lastWrite = File.GetLastWriteTimeUtc(path);
        var temporary = path + ".versionfix.tmp";
        File.Copy(path, temporary, overwrite: true);
        try
        {
            File.WriteAllBytes(temporary, image);
            File.SetLastWriteTimeUtc(temporary, lastWrite);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }

        return true;
    }

    /// <summary>Names of every version needed (every Vernaux entry), in file order.</summary>
    public static IReadOnlyList<string> ReadVersionNeeds(byte[] image)
    {
        var sections = ReadSections(image);
        var verneed = FindSingle(sections, ShtGnuVerneed, ".gnu.version_r");
        var names = new List<string>();
        if (verneed is null)
        {
            return names;
        }

        var dynstr = LinkedSection(sections, verneed.Value, ShtStrtab, ".gnu.version_r");
        foreach (var need in ReadNeeds(image, verneed.Value, dynstr))
        {
            names.Add(need.Name);
        }

        return names;
    }

    /// <summary>Names of every version the file defines (the first Verdaux of each Verdef), in file order.</summary>
    public static IReadOnlyList<string> ReadVersionDefinitions(byte[] image)
    {
        var sections = ReadSections(image);
        var verdef = FindSingle(sections, ShtGnuVerdef, ".gnu.version_d");
        var names = new List<string>();
        if (verdef is null)
        {
            return names;
        }

        var dynstr = LinkedSection(sections, verdef.Value, ShtStrtab, ".gnu.version_d");
        var offset = verdef.Value.Offset;
        for (uint i = 0; i < verdef.Value.Info; i++)
        {
            RequireRange(image, offset, VerdefSize, verdef.Value, "Verdef");
            if (ReadU16(image, offset) != 1)
            {
                throw new InvalidDataException($"Unknown Verdef version at 0x{offset:x}.");
            }

            var aux = offset + ReadU32(image, offset + 12);
            RequireRange(image, aux, VerdauxSize, verdef.Value, "Verdaux");
            names.Add(ReadString(image, dynstr, ReadU32(image, aux)));
            var next = ReadU32(image, offset + 16);
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return names;
    }

    /// <summary>The .gnu.version entry (hidden bit included) of the dynamic symbol named <paramref name="symbol"/>.</summary>
    public static ushort ReadSymbolVersionIndex(byte[] image, string symbol)
    {
        var sections = ReadSections(image);
        var versym = FindSingle(sections, ShtGnuVersym, ".gnu.version")
            ?? throw new InvalidDataException("The file has no .gnu.version section.");
        var dynsym = LinkedSection(sections, versym, ShtDynsym, ".gnu.version");
        var dynstr = LinkedSection(sections, dynsym, ShtStrtab, ".dynsym");
        var symbolCount = dynsym.Size / SymbolSize;
        for (ulong i = 0; i < symbolCount; i++)
        {
            if (ReadString(image, dynstr, ReadU32(image, dynsym.Offset + (i * SymbolSize))) == symbol)
            {
                return ReadU16(image, versym.Offset + (i * 2));
            }
        }

        throw new InvalidDataException($"No dynamic symbol named {symbol}.");
    }

    /// <summary>The SysV ELF hash of a name, as stored in vna_hash and vd_hash.</summary>
    public static uint ElfHash(string name)
    {
        uint h = 0;
        foreach (var b in Encoding.ASCII.GetBytes(name))
        {
            h = (h << 4) + b;
            var g = h & 0xf0000000;
            if (g != 0)
            {
                h ^= g >> 24;
            }

            h &= ~g;
        }

        return h;
    }

    /// <summary>
    /// The file the dynamic loader would open for <paramref name="soname"/> on this x86-64 Linux host:
    /// LD_LIBRARY_PATH first, then the loader cache (<c>ldconfig -p</c>), then the standard directories.
    /// Null when none is found.
    /// </summary>
    public static string? FindLoaderLibrary(string soname)
    {
        var candidates = new List<string>();
        var libraryPath = Environment.GetEnvironmentVariable("LD_LIBRARY_PATH");
        if (!string.IsNullOrEmpty(libraryPath))
        {
            foreach (var directory in libraryPath!.Split(':'))
            {
                if (directory.Length > 0)
                {
                    candidates.Add(Path.Combine(directory, soname));
                }
            }
        }

        candidates.AddRange(ReadLoaderCache(soname));
        foreach (var directory in new[] { "/lib/x86_64-linux-gnu", "/usr/lib/x86_64-linux-gnu", "/lib64", "/usr/lib64", "/lib", "/usr/lib" })
        {
            candidates.Add(Path.Combine(directory, soname));
        }

        foreach (var candidate in candidates)
        {
            if (File.Exists(candidate) && IsElf64X86(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static List<string> ReadLoaderCache(string soname)
    {
        var found = new List<string>();
        foreach (var ldconfig in new[] { "/sbin/ldconfig", "/usr/sbin/ldconfig", "/usr/bin/ldconfig" })
        {
            if (!File.Exists(ldconfig))
            {
                continue;
            }

            var start = new ProcessStartInfo(ldconfig, "-p")
            {
                RedirectStandardOutput = true,
                UseShellExecute = false,
                CreateNoWindow = true,
            };
            using var process = Process.Start(start);
            if (process is null)
            {
                continue;
            }

            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();

            // Lines look like: "\tlibstdc++.so.6 (libc6,x86-64) => /lib/x86_64-linux-gnu/libstdc++.so.6".
            foreach (var line in output.Split('\n'))
            {
                var trimmed = line.Trim();
                var arrow = trimmed.IndexOf(" => ", StringComparison.Ordinal);
                if (arrow > 0 && trimmed.StartsWith(soname + " ", StringComparison.Ordinal) && trimmed.Contains("x86-64"))
                {
                    found.Add(trimmed.Substring(arrow + 4));
                }
            }

            break;
        }

        return found;
    }

    private static bool IsElf64X86(string path)
    {
        var header = new byte[20];
        using (var stream = File.OpenRead(path))
        {
            if (stream.Read(header, 0, header.Length) != header.Length)
            {
                return false;
            }
        }

        return header[0] == 0x7f && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
            && header[4] == 2 && header[5] == 1 && BitConverter.ToUInt16(header, 18) == 62;
    }

    private static List<Section> ReadSections(byte[] image)
    {
        if (image.Length < 64 || image[0] != 0x7f || image[1] != (byte)'E' || image[2] != (byte)'L' || image[3] != (byte)'F')
        {
            throw new InvalidDataException("Not an ELF file.");
        }

        if (image[4] != 2 || image[5] != 1)
        {
            throw new InvalidDataException("Not a 64-bit little-endian ELF file.");
        }

        var headerTable = ReadU64(image, 0x28);
        var entrySize = ReadU16(image, 0x3A);
        var count = ReadU16(image, 0x3C);
        if (entrySize != SectionHeaderSize || count == 0)
        {
            throw new InvalidDataException($"Unexpected section header table (entry size {entrySize}, {count} entries).");
        }

        if (headerTable > (ulong)image.Length || (ulong)image.Length - headerTable < (ulong)count * SectionHeaderSize)
        {
            throw new InvalidDataException("The section header table lies outside the file.");
        }

        var sections = new List<Section>(count);
        for (var i = 0; i < count; i++)
        {
            var at = headerTable + ((ulong)i * SectionHeaderSize);
            var section = new Section(
                ReadU32(image, at + 4),
                ReadU64(image, at + 24),
                ReadU64(image, at + 32),
                ReadU32(image, at + 40),
                ReadU32(image, at + 44));
            if (section.Type != 0 && section.Type != 8 && (section.Offset > (ulong)image.Length || (ulong)image.Length - section.Offset < section.Size))
            {
                throw new InvalidDataException($"Section {i} lies outside the file.");
            }

            sections.Add(section);
        }

        return sections;
    }

    private static Section? FindSingle(List<Section> sections, uint type, string what)
    {
        Section? found = null;
        foreach (var section in sections)
        {
            if (section.Type == type)
            {
                if (found is not null)
                {
                    throw new InvalidDataException($"More than one {what} section.");
                }

                found = section;
            }
        }

        return found;
    }

    private static Section LinkedSection(List<Section> sections, Section from, uint expectedType, string what)
    {
        if (from.Link == 0 || from.Link >= sections.Count || sections[(int)from.Link].Type != expectedType)
        {
            throw new InvalidDataException($"{what} does not link to a section of type {expectedType}.");
        }

        return sections[(int)from.Link];
    }

    private static List<Need> ReadNeeds(byte[] image, Section verneed, Section dynstr)
    {
        var needs = new List<Need>();
        var offset = verneed.Offset;
        for (uint i = 0; i < verneed.Info; i++)
        {
            RequireRange(image, offset, VerneedSize, verneed, "Verneed");
            if (ReadU16(image, offset) != 1)
            {
                throw new InvalidDataException($"Unknown Verneed version at 0x{offset:x}.");
            }

            var auxCount = ReadU16(image, offset + 2);
            var file = ReadString(image, dynstr, ReadU32(image, offset + 4));
            var aux = offset + ReadU32(image, offset + 8);
            for (var j = 0; j < auxCount; j++)
            {
                RequireRange(image, aux, VernauxSize, verneed, "Vernaux");
                var nameOffset = ReadU32(image, aux + 8);
                needs.Add(new Need(file, ReadString(image, dynstr, nameOffset), nameOffset, ReadU16(image, aux + 6), aux));
                var nextAux = ReadU32(image, aux + 12);
                if (nextAux == 0)
                {
                    break;
                }

                aux += nextAux;
            }

            var next = ReadU32(image, offset + 12);
            if (next == 0)
            {
                break;
            }

            offset += next;
        }

        return needs;
    }

    private static void RequireRange(byte[] image, ulong offset, int size, Section section, string what)
    {
        if (offset < section.Offset || offset + (ulong)size > section.Offset + section.Size || offset + (ulong)size > (ulong)image.Length)
        {
            throw new InvalidDataException($"{what} entry at 0x{offset:x} lies outside its section.");
        }
    }

    private static string ReadString(byte[] image, Section strtab, uint offset)
    {
        if (offset >= strtab.Size)
        {
            throw new InvalidDataException($"String offset {offset} lies outside the string table.");
        }

        var start = checked((int)(strtab.Offset + offset));
        var end = start;
        var limit = checked((int)(strtab.Offset + strtab.Size));
        while (end < limit && image[end] != 0)
        {
            end++;
        }

        if (end == limit)
        {
            throw new InvalidDataException($"String at offset {offset} is not terminated.");
        }

        return Encoding.ASCII.GetString(image, start, end - start);
    }

    private static ushort ReadU16(byte[] image, ulong offset) => BitConverter.ToUInt16(image, Index(image, offset, 2));

    private static uint ReadU32(byte[] image, ulong offset) => BitConverter.ToUInt32(image, Index(image, offset, 4));

    private static ulong ReadU64(byte[] image, ulong offset) => BitConverter.ToUInt64(image, Index(image, offset, 8));

    private static void WriteU16(byte[] image, ulong offset, ushort value)
    {
        var at = Index(image, offset, 2);
        image[at] = (byte)value;
        image[at + 1] = (byte)(value >> 8);
    }

    private static void WriteU32(byte[] image, ulong offset, uint value)
    {
        var at = Index(image, offset, 4);
        for (var i = 0; i < 4; i++)
        {
            image[at + i] = (byte)(value >> (8 * i));
        }
    }

    private static int Index(byte[] image, ulong offset, int size)
    {
        if (offset > (ulong)image.Length || (ulong)image.Length - offset < (ulong)size)
        {
            throw new InvalidDataException($"Read of {size} bytes at 0x{offset:x} lies outside the file.");
        }

        return (int)offset;
    }

    private readonly record struct Section(uint Type, ulong Offset, ulong Size, uint Link, uint Info);

    private readonly record struct Need(string File, string Name, uint NameOffset, ushort Index, ulong AuxOffset);
}
