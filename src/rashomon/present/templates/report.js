(function(){
  var docs = JSON.parse(document.getElementById('docs-data').textContent);
  function cpToUnit(s, cp){var n=0,i=0;for(const ch of s){if(i>=cp)break;n+=ch.length;i++;}return n;}
  function show(){
    var h = location.hash.slice(1); if(!h.startsWith('doc=')) return;
    var p = new URLSearchParams(h); var id=p.get('doc'); var d=docs[id]; if(!d) return;
    var s=parseInt(p.get('s')||'-1'), e=parseInt(p.get('e')||'-1');
    var view=document.getElementById('docview'); view.hidden=false;
    document.getElementById('dv-title').textContent = d.title || id;
    document.getElementById('dv-meta').textContent = [d.publisher||'unknown outlet', d.side, d.published, d.source].filter(Boolean).join(' · ');
    var body=document.getElementById('dv-body'); body.textContent='';
    var t=d.text;
    if(s>=0 && e>s){
      var a=cpToUnit(t,s), b=cpToUnit(t,e);
      body.appendChild(document.createTextNode(t.slice(0,a)));
      var m=document.createElement('mark'); m.id='hl'; m.textContent=t.slice(a,b); body.appendChild(m);
      body.appendChild(document.createTextNode(t.slice(b)));
      view.scrollIntoView(); m.scrollIntoView({block:'center'});
    } else { body.textContent=t; view.scrollIntoView(); }
  }
  window.addEventListener('hashchange', show); show();
})();
