using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace CommunityGrid.NanoCheck.Tests;

/// <summary>
/// The half of the nano check the compiler cannot do: nanoFramework 1.x firmware runs no generics
/// and no multi-dimensional arrays, yet the C# compiler accepts both against its mscorlib (user
/// generic types, Action&lt;T&gt; from its metadata, int[,]). This reads a nano build's metadata and
/// lists every use of them: generic parameters, method specs, generic instantiations and
/// non-vector arrays in any type, method, field, local or member-reference signature.
/// </summary>
public static class NanoMetadataScanner
{
    public static IReadOnlyList<string> FindViolations(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var violations = new List<string>();
        var provider = new ViolationRecordingProvider(violations);

        int genericParameters = reader.GetTableRowCount(TableIndex.GenericParam);
        if (genericParameters > 0)
        {
            violations.Add($"{genericParameters} generic parameter(s) declared (a generic type or method)");
        }
        int methodSpecs = reader.GetTableRowCount(TableIndex.MethodSpec);
        if (methodSpecs > 0)
        {
            violations.Add($"{methodSpecs} generic method instantiation(s) called");
        }

        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            string typeName = reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
            foreach (FieldDefinitionHandle fieldHandle in type.GetFields())
            {
                FieldDefinition field = reader.GetFieldDefinition(fieldHandle);
                provider.Context = $"field {typeName}.{reader.GetString(field.Name)}";
                field.DecodeSignature(provider, null);
            }
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                string methodName = $"{typeName}.{reader.GetString(method.Name)}";
                provider.Context = $"method {methodName}";
                method.DecodeSignature(provider, null);
                if (method.RelativeVirtualAddress != 0)
                {
                    MethodBodyBlock body = pe.GetMethodBody(method.RelativeVirtualAddress);
                    if (!body.LocalSignature.IsNil)
                    {
                        provider.Context = $"locals of {methodName}";
                        reader.GetStandaloneSignature(body.LocalSignature).DecodeLocalSignature(provider, null);
                    }
                }
            }
            foreach (PropertyDefinitionHandle propertyHandle in type.GetProperties())
            {
                PropertyDefinition property = reader.GetPropertyDefinition(propertyHandle);
                provider.Context = $"property {typeName}.{reader.GetString(property.Name)}";
                property.DecodeSignature(provider, null);
            }
        }

        foreach (TypeSpecificationHandle specHandle in EnumerateTypeSpecifications(reader))
        {
            provider.Context = "type specification " + MetadataTokens.GetToken(specHandle).ToString("x8");
            reader.GetTypeSpecification(specHandle).DecodeSignature(provider, null);
        }

        foreach (MemberReferenceHandle refHandle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(refHandle);
            provider.Context = "call to " + reader.GetString(member.Name);
            if (member.GetKind() == MemberReferenceKind.Method)
            {
                member.DecodeMethodSignature(provider, null);
            }
            else
            {
                member.DecodeFieldSignature(provider, null);
            }
        }
        return violations;
    }

    /// <summary>
    /// Calls of string's indexer (<c>String.get_Chars</c>). On nanoFramework it returns the first half of a surrogate
    /// pair again for the second half (<c>ToCharArray()</c> is right), so portable code that reads text character by
    /// character breaks on every character above U+FFFF on the device while passing every test here.
    /// </summary>
    public static IReadOnlyList<string> FindStringIndexerCalls(string assemblyPath)
    {
        using var stream = File.OpenRead(assemblyPath);
        using var pe = new PEReader(stream);
        MetadataReader reader = pe.GetMetadataReader();
        var indexerTokens = new List<int>();
        foreach (MemberReferenceHandle refHandle in reader.MemberReferences)
        {
            MemberReference member = reader.GetMemberReference(refHandle);
            if (member.Parent.Kind != HandleKind.TypeReference || reader.GetString(member.Name) != "get_Chars") continue;
            TypeReference parent = reader.GetTypeReference((TypeReferenceHandle)member.Parent);
            if (reader.GetString(parent.Namespace) == "System" && reader.GetString(parent.Name) == "String")
            {
                indexerTokens.Add(MetadataTokens.GetToken(refHandle));
            }
        }
        var callers = new List<string>();
        if (indexerTokens.Count == 0) return callers;
        foreach (TypeDefinitionHandle typeHandle in reader.TypeDefinitions)
        {
            TypeDefinition type = reader.GetTypeDefinition(typeHandle);
            string typeName = reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
            // The compiler's own string-switch hash helper reads ASCII case labels only and ends in an exact compare.
            if (typeName.Contains("<PrivateImplementationDetails>", StringComparison.Ordinal)) continue;
            foreach (MethodDefinitionHandle methodHandle in type.GetMethods())
            {
                MethodDefinition method = reader.GetMethodDefinition(methodHandle);
                if (method.RelativeVirtualAddress == 0) continue;
                byte[] il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes() ?? new byte[0];
                if (CallsAnyOf(il, indexerTokens))
                {
                    callers.Add($"{typeName}.{reader.GetString(method.Name)} calls System.String::get_Chars (s[i]); read the text through ToCharArray() instead");
                }
            }
        }
        return callers;
    }

    /// <summary>A call or callvirt (0x28, 0x6F) followed by one of the tokens, little-endian, anywhere in the IL.</summary>
    private static bool CallsAnyOf(byte[] il, List<int> tokens)
    {
        for (int i = 0; i + 4 < il.Length; i++)
        {
            if (il[i] != 0x28 && il[i] != 0x6F) continue;
            int token = il[i + 1] | (il[i + 2] << 8) | (il[i + 3] << 16) | (il[i + 4] << 24);
            if (tokens.Contains(token)) return true;
        }
        return false;
    }

    private static IEnumerable<TypeSpecificationHandle> EnumerateTypeSpecifications(MetadataReader reader)
    {
        int count = reader.GetTableRowCount(TableIndex.TypeSpec);
        for (int row = 1; row <= count; row++)
        {
            yield return MetadataTokens.TypeSpecificationHandle(row);
        }
    }

    /// <summary>Decodes signatures to display names, recording each construct the device cannot run.</summary>
    private sealed class ViolationRecordingProvider(List<string> violations) : ISignatureTypeProvider<string, object?>
    {
        public string Context { get; set; } = "";

        public string GetArrayType(string elementType, ArrayShape shape)
        {
            violations.Add($"{Context}: multi-dimensional array {elementType}[{new string(',', shape.Rank - 1)}]");
            return elementType + "[,]";
        }

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments)
        {
            violations.Add($"{Context}: generic instantiation {genericType}<{string.Join(", ", typeArguments)}>");
            return genericType + "<>";
        }

        public string GetGenericMethodParameter(object? genericContext, int index)
        {
            violations.Add($"{Context}: generic method parameter !!{index}");
            return "!!" + index;
        }

        public string GetGenericTypeParameter(object? genericContext, int index)
        {
            violations.Add($"{Context}: generic type parameter !{index}");
            return "!" + index;
        }

        public string GetSZArrayType(string elementType) => elementType + "[]";
        public string GetByReferenceType(string elementType) => elementType + "&";
        public string GetPointerType(string elementType) => elementType + "*";
        public string GetPinnedType(string elementType) => elementType;
        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();
        public string GetFunctionPointerType(MethodSignature<string> signature) => "fnptr";
        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            TypeDefinition type = reader.GetTypeDefinition(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            TypeReference type = reader.GetTypeReference(handle);
            return reader.GetString(type.Namespace) + "." + reader.GetString(type.Name);
        }
    }
}
