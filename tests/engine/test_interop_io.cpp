// .npy and .safetensors readers and writers: round trips, the byte layout
// against files built by hand here, dtype conversion on read (f64 -> f32,
// i32 -> i64, f16/bf16 -> f32) and clear messages naming the file on
// truncated or corrupt input.
#include "interop/npy.h"
#include "interop/safetensors.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <cstring>

using namespace archscope;

namespace {

void appendLe(std::string* b, uint64_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) b->push_back(char((v >> (8 * i)) & 0xff));
}

template <class T>
void appendRaw(std::string* b, const std::vector<T>& v) {
    b->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

// A .npy file built by hand: version `major` (1 or 2), header dict as given.
std::string npyFile(const std::string& dict, const std::string& data, int major = 1) {
    std::string h = dict;
    size_t pre = major == 1 ? 10 : 12;
    while ((pre + h.size() + 1) % 64) h += ' ';
    h += '\n';
    std::string b = "\x93NUMPY";
    b += char(major);
    b += char(0);
    appendLe(&b, h.size(), major == 1 ? 2 : 4);
    return b + h + data;
}

std::string npyDict(const std::string& descr, const std::string& shape, bool fortran = false) {
    return "{'descr': '" + descr + "', 'fortran_order': " + (fortran ? "True" : "False") + ", 'shape': " + shape + ", }";
}

// A safetensors file built by hand from a header object and raw data.
std::string stFile(const nlohmann::json& header, const std::string& data) {
    std::string h = header.dump();
    std::string b;
    appendLe(&b, h.size(), 8);
    return b + h + data;
}

bool contains(const std::string& s, const std::string& sub) { return s.find(sub) != std::string::npos; }

}  // namespace

class TestInteropIo : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_tmp;
    std::string tmp(const char* name) const { return m_tmp.filePath(name).toStdString(); }

private slots:
    void npyRoundTrip() {
        Tensor f = Tensor::f32({2, 3}, {1.5f, -2.f, 0.f, 3.25f, 1e-7f, -1e7f});
        Tensor i = Tensor::i64({4}, {-1, 0, int64_t(1) << 40, 7});
        Tensor s = Tensor::f32({}, {42.f});
        for (const Tensor* t : {&f, &i, &s}) {
            Tensor back;
            std::string err;
            QVERIFY2(parseNpy(encodeNpy(*t), "mem.npy", &back, &err), err.c_str());
            QCOMPARE(back.dtype(), t->dtype());
            QCOMPARE(back.shape(), t->shape());
            QCOMPARE(std::memcmp(back.raw(), t->raw(), t->byteSize()), 0);
        }
        std::string err;
        QVERIFY2(writeNpy(tmp("f.npy"), f, &err), err.c_str());
        Tensor back;
        QVERIFY2(readNpy(tmp("f.npy"), &back, &err), err.c_str());
        QCOMPARE(back.shape(), f.shape());
        QCOMPARE(back.f32()[3], 3.25f);
        QCOMPARE(QDir(m_tmp.path()).entryList(QDir::Files), QStringList{"f.npy"});  // no temporary left behind
    }

    // encodeNpy writes exactly what NumPy writes for these arrays.
    void npyLayoutMatchesHandBuilt() {
        std::string data;
        appendRaw(&data, std::vector<float>{1, 2, 3, 4, 5, 6});
        QCOMPARE(encodeNpy(Tensor::f32({2, 3}, {1, 2, 3, 4, 5, 6})), npyFile(npyDict("<f4", "(2, 3)"), data));
        data.clear();
        appendRaw(&data, std::vector<int64_t>{9, -9, 0});
        QCOMPARE(encodeNpy(Tensor::i64({3}, {9, -9, 0})), npyFile(npyDict("<i8", "(3,)"), data));
        QCOMPARE(encodeNpy(Tensor::f32({}, {2.f})).size() % 64, size_t(4));  // 64-byte aligned header + one float
    }

    void npyConvertsOnRead() {
        std::string err;
        Tensor t;
        std::string f64;
        appendRaw(&f64, std::vector<double>{0.5, -1.25, 3e10, 1.0 / 3.0});
        QVERIFY2(parseNpy(npyFile(npyDict("<f8", "(2, 2)"), f64), "d.npy", &t, &err), err.c_str());
        QCOMPARE(t.dtype(), DType::F32);
        QCOMPARE(t.shape(), (std::vector<int64_t>{2, 2}));
        QCOMPARE(t.f32()[1], -1.25f);
        QCOMPARE(t.f32()[2], float(3e10));
        QCOMPARE(t.f32()[3], float(1.0 / 3.0));
        std::string i32;
        appendRaw(&i32, std::vector<int32_t>{-2147483647 - 1, -1, 0, 2147483647});
        QVERIFY2(parseNpy(npyFile(npyDict("<i4", "(4,)"), i32), "i.npy", &t, &err), err.c_str());
        QCOMPARE(t.dtype(), DType::I64);
        QCOMPARE(t.i64()[0], int64_t(-2147483648LL));
        QCOMPARE(t.i64()[1], int64_t(-1));
        QCOMPARE(t.i64()[3], int64_t(2147483647));
        // Version 2.0 header (4-byte length).
        std::string f32;
        appendRaw(&f32, std::vector<float>{7, 8});
        QVERIFY2(parseNpy(npyFile(npyDict("<f4", "(1, 2)"), f32, 2), "v2.npy", &t, &err), err.c_str());
        QCOMPARE(t.f32()[1], 8.f);
    }

    void npyErrorsNameTheFile() {
        std::string f32;
        appendRaw(&f32, std::vector<float>{1, 2, 3, 4, 5, 6});
        const std::string good = npyFile(npyDict("<f4", "(2, 3)"), f32);
        struct Case { std::string bytes, expected; };
        const std::vector<Case> cases = {
            {"", "not a .npy file"},
            {"PK\x03\x04 this is a zip", "not a .npy file"},
            {good.substr(0, 30), "truncated header"},
            {good.substr(0, good.size() - 3), "truncated data: [2, 3] needs 24 bytes, file has 21"},
            {npyFile(npyDict("|u1", "(2,)"), "ab"), "dtype '|u1' is not supported"},
            {npyFile(npyDict("<f4", "(2, 3)", true), f32), "Fortran-order"},
            {npyFile("{'descr': '<f4', 'shape': (2,), }", f32), "no 'fortran_order'"},
            {npyFile(npyDict("<f4", "(100000000, 100000000, 100000000)"), f32), "array too large"},
            {npyFile(npyDict("<f4", "(99999999999999999999,)"), f32), "too large"},
            {std::string("\x93NUMPY\x07\x00\x10\x00", 10), "unsupported .npy version 7"},
        };
        for (auto& c : cases) {
            Tensor t;
            std::string err;
            QVERIFY(!parseNpy(c.bytes, "bad/file.npy", &t, &err));
            QVERIFY2(err.rfind("bad/file.npy: ", 0) == 0 && contains(err, c.expected), err.c_str());
        }
        // Through the file reader: the path is named.
        {
            QFile f(QString::fromStdString(tmp("trunc.npy")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(good.data(), qint64(good.size() - 10));
        }
        Tensor t;
        std::string err;
        QVERIFY(!readNpy(tmp("trunc.npy"), &t, &err));
        QVERIFY2(err.rfind(tmp("trunc.npy") + ": truncated data", 0) == 0, err.c_str());
        QVERIFY(!readNpy(tmp("missing.npy"), &t, &err));
        QVERIFY2(err.rfind(tmp("missing.npy") + ": cannot open", 0) == 0, err.c_str());
    }

    void safetensorsRoundTrip() {
        TensorMap m;
        m["fc.weight"] = Tensor::f32({2, 3}, {1, 2, 3, 4, 5, 6});
        m["fc.bias"] = Tensor::f32({2}, {-0.5f, 0.5f});
        m["ids"] = Tensor::i64({3}, {1, int64_t(1) << 50, -3});
        std::string bytes = encodeSafetensors(m, {{"format", "pt"}, {"note", "x"}});
        // Layout: 8-byte length, 8-byte aligned JSON header, data at the stated offsets.
        uint64_t n = 0;
        for (int i = 0; i < 8; ++i) n |= uint64_t(uint8_t(bytes[size_t(i)])) << (8 * i);
        QCOMPARE(n % 8, uint64_t(0));
        auto h = nlohmann::json::parse(bytes.substr(8, n));
        QCOMPARE(h["__metadata__"]["format"].get<std::string>(), std::string("pt"));
        QCOMPARE(h["fc.weight"]["dtype"].get<std::string>(), std::string("F32"));
        QCOMPARE(h["ids"]["dtype"].get<std::string>(), std::string("I64"));
        auto off = h["fc.bias"]["data_offsets"];
        float b1;
        std::memcpy(&b1, bytes.data() + 8 + n + off[0].get<size_t>() + 4, 4);
        QCOMPARE(b1, 0.5f);

        TensorMap back;
        std::map<std::string, std::string> meta;
        std::string err;
        QVERIFY2(parseSafetensors(bytes, "mem", &back, &err, &meta), err.c_str());
        QCOMPARE(meta["note"], std::string("x"));
        QCOMPARE(back.size(), size_t(3));
        for (auto& [k, t] : m) {
            QCOMPARE(back[k].dtype(), t.dtype());
            QCOMPARE(back[k].shape(), t.shape());
            QCOMPARE(std::memcmp(back[k].raw(), t.raw(), t.byteSize()), 0);
        }
        QVERIFY2(writeSafetensors(tmp("w.safetensors"), m, &err), err.c_str());
        back.clear();
        QVERIFY2(readSafetensors(tmp("w.safetensors"), &back, &err), err.c_str());
        QCOMPARE(back["ids"].i64()[1], int64_t(1) << 50);
    }

    void safetensorsConvertsOnRead() {
        std::string data;
        appendRaw(&data, std::vector<double>{0.25, -8.5});                  // F64 [0, 16)
        appendRaw(&data, std::vector<int32_t>{-7, 2147483647});              // I32 [16, 24)
        appendRaw(&data, std::vector<uint16_t>{0x3C00, 0xC000, 0x3555});     // F16 1, -2, 0.333 [24, 30)
        appendRaw(&data, std::vector<uint16_t>{0x3F80, 0xC0A0});             // BF16 1, -5 [30, 34)
        nlohmann::json h = {{"d", {{"dtype", "F64"}, {"shape", {2}}, {"data_offsets", {0, 16}}}},
                            {"i", {{"dtype", "I32"}, {"shape", {2, 1}}, {"data_offsets", {16, 24}}}},
                            {"h", {{"dtype", "F16"}, {"shape", {3}}, {"data_offsets", {24, 30}}}},
                            {"b", {{"dtype", "BF16"}, {"shape", {2}}, {"data_offsets", {30, 34}}}}};
        TensorMap m;
        std::string err;
        QVERIFY2(parseSafetensors(stFile(h, data), "conv.safetensors", &m, &err), err.c_str());
        QCOMPARE(m["d"].dtype(), DType::F32);
        QCOMPARE(m["d"].f32()[1], -8.5f);
        QCOMPARE(m["i"].dtype(), DType::I64);
        QCOMPARE(m["i"].shape(), (std::vector<int64_t>{2, 1}));
        QCOMPARE(m["i"].i64()[0], int64_t(-7));
        QCOMPARE(m["i"].i64()[1], int64_t(2147483647));
        QCOMPARE(m["h"].f32()[0], 1.f);
        QCOMPARE(m["h"].f32()[1], -2.f);
        QVERIFY(std::abs(m["h"].f32()[2] - 1.f / 3.f) < 1e-3f);
        QCOMPARE(m["b"].f32()[0], 1.f);
        QCOMPARE(m["b"].f32()[1], -5.f);
    }

    void safetensorsErrorsNameTheFile() {
        std::string data;
        appendRaw(&data, std::vector<float>{1, 2, 3, 4});
        nlohmann::json good = {{"w", {{"dtype", "F32"}, {"shape", {2, 2}}, {"data_offsets", {0, 16}}}}};
        const std::string file = stFile(good, data);
        std::string hugeLen;
        appendLe(&hugeLen, uint64_t(1) << 40, 8);
        struct Case { std::string bytes, expected; };
        const std::vector<Case> cases = {
            {"", "too short for a safetensors file"},
            {"\x01\x00", "too short for a safetensors file"},
            {hugeLen + "{}", "header length 1099511627776 exceeds the file"},
            {file.substr(0, 20), "exceeds the file"},
            {file.substr(0, file.size() - 1), "tensor \"w\": data_offsets [0, 16] do not match its shape and dtype or the file size"},
            {stFile(nlohmann::json::array(), ""), "header is not a JSON object"},
            {std::string("\x05\0\0\0\0\0\0\0{\"w\":", 13), "header is not valid JSON"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {2, 2}}}}}, data), "tensor \"w\" lacks dtype, shape or data_offsets"},
            {stFile({{"w", {{"dtype", "U8"}, {"shape", {4}}, {"data_offsets", {0, 4}}}}}, data), "dtype \"U8\" is not supported"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {3}}, {"data_offsets", {0, 16}}}}}, data), "do not match its shape"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {-1}}, {"data_offsets", {0, 16}}}}}, data), "bad dimension"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {1u << 30, 1u << 30}}, {"data_offsets", {0, 16}}}}}, data), "too large"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {4}}, {"data_offsets", {8, 4}}}}}, data), "do not match"},
            {stFile({{"w", {{"dtype", "F32"}, {"shape", {4}}, {"data_offsets", "0-16"}}}}, data), "data_offsets must be [begin, end]"},
        };
        for (auto& c : cases) {
            TensorMap m;
            std::string err;
            QVERIFY(!parseSafetensors(c.bytes, "bad/w.safetensors", &m, &err));
            QVERIFY2(err.rfind("bad/w.safetensors: ", 0) == 0 && contains(err, c.expected), err.c_str());
        }
        {
            QFile f(QString::fromStdString(tmp("cut.safetensors")));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(file.data(), qint64(file.size() - 4));
        }
        TensorMap m;
        std::string err;
        QVERIFY(!readSafetensors(tmp("cut.safetensors"), &m, &err));
        QVERIFY2(err.rfind(tmp("cut.safetensors") + ": tensor \"w\"", 0) == 0, err.c_str());
        QVERIFY(!readSafetensors(tmp("nope.safetensors"), &m, &err));
        QVERIFY2(err.rfind(tmp("nope.safetensors") + ": cannot open", 0) == 0, err.c_str());
    }
};

QTEST_GUILESS_MAIN(TestInteropIo)
#include "test_interop_io.moc"
